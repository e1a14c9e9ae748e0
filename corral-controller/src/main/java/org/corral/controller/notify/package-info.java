/**
 * Notifications of what the Guardian does (fencing, recoveries, escalations, give-ups), sent off
 * the loop: {@link org.corral.controller.notify.Notifier} takes journal entries on the loop,
 * picks those worth telling people ({@link org.corral.controller.notify.Notification#of}, a pure
 * function), and hands them to a bounded queue drained by a virtual thread, which sends them to
 * each {@link org.corral.controller.notify.Channel} (a webhook with an HMAC-SHA256 signature, or
 * e-mail over SMTP) and retries with backoff on the controller's clock. Secrets (the HMAC key,
 * the SMTP password) are never logged nor shown.
 */
@NullMarked
package org.corral.controller.notify;

import org.jspecify.annotations.NullMarked;
