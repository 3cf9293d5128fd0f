package org.opinionwatch.classifier.topology;

import java.time.Instant;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.topic.Topics;

/**
 * What the incident processor emits: at one instant, the new state, and a level change and a forecast if any; or,
 * alone, an increment handed over to another incident (keyed by that incident); or, alone, how far the task has
 * decided ({@code reached}), for the timeline partition of the task ({@code partition}).
 *
 * @param stateJson the state as a JSON object, written once for both {@code incidents} and the timeline
 */
record IncidentUpdate(IncidentState state, byte[] stateJson, SeverityChange change, ForecastWarning forecast, Increment handover,
                      Instant reached, int partition) {
    IncidentUpdate(IncidentState state, SeverityChange change, ForecastWarning forecast) {
        this(state, state == null ? null : Topics.INCIDENT_STATE.object(state), change, forecast, null, null, -1);
    }

    static IncidentUpdate handover(Increment increment) {
        return new IncidentUpdate(null, null, null, null, increment, null, -1);
    }

    static IncidentUpdate reached(Instant reached, int partition) {
        return new IncidentUpdate(null, null, null, null, null, reached, partition);
    }

    /** The update as the escalation stage reads it on {@code classifier.timeline}; not for a handover. */
    TimelineEntry timelineEntry() {
        return reached != null ? TimelineEntry.reached(reached) : TimelineEntry.decided(state, change, forecast);
    }
}
