package org.corral.model.cluster;

/** When a hook runs, and on which members. */
public enum HookEvent {
  /** On each new member of the role, once it is up, before its readiness checks. */
  ON_CREATE("onCreate"),
  /** On each member of the role once the whole role is ready (its checks pass on every member). */
  ON_READY("onReady"),
  /** When a member joins the role: on every member of {@code runOn}, with {@code member.*} the new member. */
  ON_MEMBER_JOIN("onMemberJoin"),
  /** When a member leaves (scale-down drain, loss): on every member of {@code runOn}, before it is stopped. */
  ON_MEMBER_LEAVE("onMemberLeave"),
  /** Before the cluster is stopped: on each member of the role (roles in reverse dependency order). */
  ON_STOP("onStop");

  private final String yaml;

  HookEvent(String yaml) {
    this.yaml = yaml;
  }

  /** The name used in the spec, e.g. {@code onMemberJoin}. */
  public String yaml() {
    return yaml;
  }

  /** Whether the hook runs on another role's members ({@code runOn}) rather than on the member itself. */
  public boolean runsElsewhere() {
    return this == ON_MEMBER_JOIN || this == ON_MEMBER_LEAVE;
  }
}
