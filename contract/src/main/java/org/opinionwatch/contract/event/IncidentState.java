package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * The latest state of an incident ({@code incidents}, compacted, key: incident id), emitted by the classifier
 * whenever the incident's window metrics or level change.
 *
 * @param updatedAt event time of this state
 */
public record IncidentState(
        String incidentId,
        String subject,
        Level level,
        WindowMetrics metrics,
        Instant openedAt,
        Instant updatedAt,
        PostRef rootPost,
        long posts) {

    public static final String SCHEMA = "incident/1";
}
