package org.opinionwatch.contract.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A change of an incident's level ({@code incidents.severity}, key: incident id), emitted once per change.
 *
 * @param crossed the thresholds that were crossed, such as {@code "comments>=100"}
 * @param at the event time of the crossing: the instant of the increment that crossed
 * @param observedAt when the snapshot that caused the crossing was observed (its {@code observedAt}); for
 *     snapshots replayed from an archive this equals {@code at}
 * @param categories the content categories of the incident's posts, in the order of precedence of their
 *     playbooks (attack, rumour, complaint, personal-demand, inquiry, suggestion, praise, neutral): the first is the
 *     one the response follows
 * @param domains the sensitive domains the incident touches
 */
public record SeverityChange(
        String incidentId,
        String subject,
        Level from,
        Level to,
        List<String> crossed,
        WindowMetrics metrics,
        Duration window,
        Instant at,
        Instant observedAt,
        PostRef rootPost,
        List<PostRef> topPosts,
        List<String> categories,
        List<String> domains) {

    public static final String SCHEMA = "severity-change/1";

    public SeverityChange {
        crossed = List.copyOf(crossed);
        topPosts = List.copyOf(topPosts);
        categories = categories == null ? List.of() : List.copyOf(categories);
        domains = domains == null ? List.of() : List.copyOf(domains);
    }
}
