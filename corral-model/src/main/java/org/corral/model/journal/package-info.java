/** The append-only journal: every state change and action, with its cause. */
package org.corral.model.journal;
