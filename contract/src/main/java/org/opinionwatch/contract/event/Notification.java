package org.opinionwatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who must act, what, by when ({@code notifications}, key: the incident id; {@code digest-ROLE} for a digest and
 * {@code daily-report} for the daily report). One notification per role per decision of the plan, listing all of
 * that role's duties in it. The contract for downstream services is {@code docs/contract-notifications.md}.
 *
 * @param id deterministic: the same decision of the plan always gives the same id, so a downstream service can drop
 *     duplicates
 * @param kind why the role hears from the plan now
 * @param incidentId the incident it is about; null for a digest and for the daily report, which list several
 * @param incidentIds the incidents a digest or a daily report lists; null for a notification about one incident
 * @param level the incident's level at {@code at}, as on {@code incidents.severity}; for a digest or a daily report
 *     the highest level of those it lists
 * @param duties the plan's duty keys this notification gives, reminds of or reports as overdue (such as
 *     {@code triage-and-forward}), in the plan's order
 * @param deadlines the deadline of each of {@code duties} that has one
 * @param instructions for a person to read: in the plan's language ({@code escalation.locale}), naming the story
 * @param at event time of the plan's decision
 * @param due the earliest of {@code deadlines}, or null when none has one
 * @param deliverAt for a digest, when it is to be delivered: the end of the role's quiet hours; null otherwise
 * @param rootPost the story's original post (title and link); null for a digest and the daily report
 * @param metrics the incident's trailing-window counts at {@code at}; null for a digest and the daily report
 * @param report a report to read, in Markdown (bulletins, the review, digests, the daily report), or null
 */
public record Notification(
        String id,
        Kind kind,
        String incidentId,
        List<String> incidentIds,
        String subject,
        Level level,
        Role role,
        List<String> duties,
        Map<String, Instant> deadlines,
        String instructions,
        Instant at,
        Instant due,
        Instant deliverAt,
        PostRef rootPost,
        WindowMetrics metrics,
        String report) {

    public static final String SCHEMA = "notification/2";

    /** Why a role hears from the plan. */
    public enum Kind {
        /** A decision of the plan gives the role duties (a level reached, a procedure started, a relapse, a review due). */
        DUTIES,
        /** A duty's deadline is near and it is not done. */
        REMINDER,
        /** A duty's deadline passed undone: to the role above the one that had it. */
        OVERDUE,
        /** A bulletin (网络舆情通报) of a MAJOR or CRITICAL incident, or the closing one when it falls below MAJOR. */
        BULLETIN,
        /** What the role's quiet hours held back, in one message at their end. */
        DIGEST,
        /** The daily report (舆情日报). */
        DAILY_REPORT
    }

    public Notification {
        incidentIds = incidentIds == null ? null : List.copyOf(incidentIds);
        duties = duties == null ? List.of() : List.copyOf(duties);
        deadlines = deadlines == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deadlines));
    }

    /** The incidents it is about: its one incident, or those a digest or a daily report lists. */
    @JsonIgnore
    public List<String> incidents() {
        return incidentId != null ? List.of(incidentId) : incidentIds == null ? List.of() : incidentIds;
    }
}
