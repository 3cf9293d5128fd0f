package org.opinionwatch.classifier.topology;

import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;

/** What the incident processor emits at one instant: the new state, and a level change and a forecast if any. */
record IncidentUpdate(IncidentState state, SeverityChange change, ForecastWarning forecast) {
}
