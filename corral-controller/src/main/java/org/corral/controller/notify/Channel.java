package org.corral.controller.notify;

import java.io.IOException;
import java.util.Set;

/** Where notifications go: a webhook or an e-mail address list. */
public interface Channel {
  /** For logs: says where, never with a secret in it. */
  String name();

  /** The events this channel wants (all when empty). */
  Set<String> events();

  default boolean wants(Notification n) {
    return events().isEmpty() || events().contains(n.event());
  }

  /** Sends one notification; throws when it was not accepted (it will be retried). Called off the loop. */
  void send(Notification n) throws IOException, InterruptedException;
}
