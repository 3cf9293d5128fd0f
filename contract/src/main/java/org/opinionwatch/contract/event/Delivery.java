package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * What became of one notification on one channel at the notifier ({@code notifications.deliveries}, key: incident id,
 * the key the notification had): one record per channel it went to, or one for a notification that went nowhere.
 * Delivery is at least once, so a notification may have more than one record per channel (one per notifier run that
 * finished with it); a receiver drops duplicates by {@code notificationId}.
 *
 * @param notificationId the notification's id; null when its record could not be read
 * @param incidentId the notification's incident; the record's key for a digest or a daily report (which list several), and
 *     when the notification could not be read
 * @param role the role it was for; null when its record could not be read
 * @param url where it went, without user-info, query or robot key (they are credentials): a webhook's or robot's
 *     address, or {@code smtp://host:port}; null when none
 * @param attempts how many POSTs were made; 0 when none was
 * @param lastStatus the HTTP status of the last attempt; null when no response came (or no attempt was made)
 * @param reason why it was refused or skipped, or how the last failed attempt failed; null when delivered at once
 * @param location where the notification was read: {@code topic-partition@offset}
 * @param firstAttemptAt wall-clock time of the first POST; null when none was made
 * @param finishedAt wall-clock time of the outcome: the 2xx response, the refusal, or the decision to skip
 * @param channel the channel's name in {@code notifier.channels} ({@code webhooks.OFFICE} for a role's webhook); null
 *     when it went to none
 * @param audience who it was for: the role, or {@code department:ID} for a department; after a fall back for want
 *     of anyone on duty, the role it fell back to
 * @param people the ids ({@code notifier.people}) of those on duty it addressed; empty for a whole group
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
        Instant finishedAt,
        String channel,
        String audience,
        java.util.List<String> people) {

    public static final String SCHEMA = "delivery/2";

    public Delivery {
        people = people == null ? java.util.List.of() : java.util.List.copyOf(people);
    }

    public enum Outcome {
        /** The channel took it: a webhook's 2xx, a robot's code 0, the mail server's acceptance. */
        DELIVERED,
        /**
         * Given up for good: the channel refused it (a webhook's 4xx but 408 and 429, a robot's wrong key or
         * signature, the mail server's 5xx), or the notification could not be read.
         */
        REFUSED,
        /** No channel is configured for its role, or a channel had nobody to address. */
        SKIPPED
    }
}
