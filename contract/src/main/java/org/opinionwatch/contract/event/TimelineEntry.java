package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * One record of {@code classifier.timeline}, what the classifier tells the escalation stage: either what it decided
 * about an incident at one instant (key: incident id; the classifier always gives the state, and a level change and a
 * forecast if any), or, alone, how far it has decided (key: none): every decision of the partition before
 * {@code reached} is already in it.
 *
 * <p>The classifier writes each partition in event-time order, its decisions and its progress in one sequence, so
 * the escalation stage reads one ordered stream per partition and never runs ahead of a decision still being made:
 * it runs beside the classifier and gives the same notifications at any speed (docs/architecture.md).
 */
public record TimelineEntry(IncidentState state, SeverityChange change, ForecastWarning forecast, Instant reached) {
    public static final String SCHEMA = "timeline-entry/1";

    public TimelineEntry {
        boolean decided = state != null || change != null || forecast != null;
        if (decided == (reached != null)) {
            throw new IllegalArgumentException("a timeline entry is a decision about an incident (its state, level change or "
                    + "forecast) or the instant reached, one of the two");
        }
    }

    public static TimelineEntry decided(IncidentState state, SeverityChange change, ForecastWarning forecast) {
        return new TimelineEntry(state, change, forecast, null);
    }

    public static TimelineEntry reached(Instant reached) {
        return new TimelineEntry(null, null, null, reached);
    }

    /** The entry's event time: the instant of its decision, or the instant reached. */
    public Instant at() {
        if (reached != null) {
            return reached;
        }
        return state != null ? state.updatedAt() : change != null ? change.at() : forecast.at();
    }
}
