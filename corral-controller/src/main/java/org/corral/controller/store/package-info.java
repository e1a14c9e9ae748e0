/**
 * Durable state: hosts, VMs, networks, images, the executor's action ledger and the journal.
 * The store only stores: it holds no decision, and every write is one atomic {@link
 * org.corral.controller.store.Changes} batch so that a state change and its journal entry are
 * never separated by a crash.
 *
 * <p>Two implementations of {@link org.corral.controller.store.Store}: {@link
 * org.corral.controller.store.InMemoryStore} for tests and simulation, and {@link
 * org.corral.controller.store.JdbcStore} over JDBI and Flyway for embedded H2 (the default) and
 * PostgreSQL. Both check a batch with the same rules before applying any of it. {@link
 * org.corral.controller.store.Json} is the one Jackson configuration for the model's records,
 * shared with the REST API. Everything else here is package-private plumbing of the JDBC store.
 */
@NullMarked
package org.corral.controller.store;

import org.jspecify.annotations.NullMarked;
