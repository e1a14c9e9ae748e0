package org.corral.drivers.guest.agent;

import java.util.concurrent.CompletionStage;

/** Sends one JSON command to a domain's guest agent and returns its JSON reply. */
@FunctionalInterface
interface AgentChannel {
  CompletionStage<String> command(String domain, String json, int timeoutSec);
}
