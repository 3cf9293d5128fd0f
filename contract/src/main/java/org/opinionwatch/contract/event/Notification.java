package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * Who must act, what, by when ({@code notifications}, key: incident id).
 *
 * @param id deterministic: the same incident, level change, role and duty always give the same id, so a
 *     downstream service can drop duplicates
 * @param duty what the role must do, a stable machine name such as {@code report-to-leadership}
 * @param instructions the same for a person to read
 * @param at event time at which the notification was decided
 * @param due the deadline, or null where the plan sets none
 * @param report a report to read, in Markdown (bulletins, the daily report, the review), or null; added to
 *     notification/1 without a version change, as readers ignore fields they do not know
 */
public record Notification(
        String id,
        String incidentId,
        String subject,
        Level level,
        Role role,
        String duty,
        String instructions,
        Instant at,
        Instant due,
        PostRef rootPost,
        String report) {

    public static final String SCHEMA = "notification/1";
}
