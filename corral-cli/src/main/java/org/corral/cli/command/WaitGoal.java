package org.corral.cli.command;

/** What {@code --wait} waits for; {@link VmWaiter} decides when each is reached. */
sealed interface WaitGoal {
  /** Words for messages: "RUNNING", "RUNNING on node2", "deleted". */
  String describe();

  record Running() implements WaitGoal {
    @Override
    public String describe() {
      return "RUNNING";
    }
  }

  record Stopped() implements WaitGoal {
    @Override
    public String describe() {
      return "STOPPED";
    }
  }

  /** Running on {@code host} with no migration in flight. */
  record RunningOn(String host) implements WaitGoal {
    @Override
    public String describe() {
      return "RUNNING on " + host;
    }
  }

  /** Gone: GET answers 404, or the VM shows as DELETED. */
  record Deleted() implements WaitGoal {
    @Override
    public String describe() {
      return "deleted";
    }
  }
}
