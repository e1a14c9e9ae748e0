/**
 * Durable state: hosts, VMs, networks, images, the executor's action ledger and the journal.
 * The store only stores: it holds no decision, and every write is one atomic {@link
 * org.corral.controller.store.Changes} batch so that a state change and its journal entry are
 * never separated by a crash.
 */
package org.corral.controller.store;
