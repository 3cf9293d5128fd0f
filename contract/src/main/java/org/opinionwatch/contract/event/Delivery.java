package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * What became of one notification at the notifier ({@code notifications.deliveries}, key: incident id, the key the
 * notification had). Delivery is at least once, so a notification may have more than one record (one per notifier
 * run that finished with it); a receiver of the webhooks drops duplicates by {@code notificationId}.
 *
 * @param notificationId the notification's id; null when its record could not be read
 * @param incidentId the notification's incident; the record's key for a digest or a daily report (which list several), and
 *     when the notification could not be read
 * @param role the role it was for; null when its record could not be read
 * @param url the webhook it went to, without user-info and query (they may hold credentials); null when none
 * @param attempts how many POSTs were made; 0 when none was
 * @param lastStatus the HTTP status of the last attempt; null when no response came (or no attempt was made)
 * @param reason why it was refused or skipped, or how the last failed attempt failed; null when delivered at once
 * @param location where the notification was read: {@code topic-partition@offset}
 * @param firstAttemptAt wall-clock time of the first POST; null when none was made
 * @param finishedAt wall-clock time of the outcome: the 2xx response, the refusal, or the decision to skip
 */
public record Delivery(
        String notificationId,
        String incidentId,
        Role role,
        String url,
        Outcome outcome,
        int attempts,
        Integer lastStatus,
        String reason,
        String location,
        Instant firstAttemptAt,
        Instant finishedAt) {

    public static final String SCHEMA = "delivery/1";

    public enum Outcome {
        /** The webhook answered 2xx. */
        DELIVERED,
        /** Given up for good: the webhook answered 4xx (not 408 or 429), or the notification could not be read. */
        REFUSED,
        /** No webhook is configured for the notification's role. */
        SKIPPED
    }
}
