package org.opinionwatch.classifier.topology;

import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * What the incident processor emits at one instant: the new state, and a level change and a forecast if any; or,
 * alone, an increment handed over to another incident (keyed by that incident).
 */
record IncidentUpdate(IncidentState state, SeverityChange change, ForecastWarning forecast, Increment handover) {
    IncidentUpdate(IncidentState state, SeverityChange change, ForecastWarning forecast) {
        this(state, change, forecast, null);
    }

    static IncidentUpdate handover(Increment increment) {
        return new IncidentUpdate(null, null, null, increment);
    }
}
