package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * The latest state of an incident ({@code incidents}, compacted, key: incident id), emitted by the classifier
 * whenever the incident's window metrics or level change.
 *
 * @param updatedAt event time of this state
 * @param joinedStories the original posts of other stories that told the same story and joined this incident
 *     (near-duplicate texts on the same subject), the first 20; added in incident/1 without a version change, as
 *     readers ignore fields they do not know
 */
public record IncidentState(
        String incidentId,
        String subject,
        Level level,
        WindowMetrics metrics,
        Instant openedAt,
        Instant updatedAt,
        PostRef rootPost,
        long posts,
        java.util.List<PostRef> joinedStories) {

    public static final String SCHEMA = "incident/1";

    public IncidentState {
        joinedStories = joinedStories == null ? java.util.List.of() : java.util.List.copyOf(joinedStories);
    }
}
