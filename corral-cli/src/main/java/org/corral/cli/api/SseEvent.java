package org.corral.cli.api;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event.
 *
 * @param id    the {@code id:} field (Corral sends the journal seq), or null
 * @param event the {@code event:} field, "message" when absent
 * @param data  the {@code data:} lines joined with newlines
 */
public record SseEvent(@Nullable String id, String event, String data) {}
