package org.corral.controller.notify;

import java.io.IOException;
import java.util.Set;

/** Where notifications go: a webhook or an e-mail address list. */
public interface Channel {
  /** For logs: says where, never with a secret in it. */
  String name();

  /** What kind of channel, as the API shows it: {@code webhook}, {@code email}. */
  default String kind() {
    return "custom";
  }

  /** Where it delivers, as the API shows it, never with a secret in it (the URL without its query, the addresses). */
  default String target() {
    return name();
  }

  /** The events this channel wants (all when empty). */
  Set<String> events();

  default boolean wants(Notification n) {
    return events().isEmpty() || events().contains(n.event());
  }

  /** Sends one notification; throws when it was not accepted (it will be retried). Called off the loop. */
  void send(Notification n) throws IOException, InterruptedException;
}
