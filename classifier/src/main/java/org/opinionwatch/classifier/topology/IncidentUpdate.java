package org.opinionwatch.classifier.topology;

import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;

/** What the incident processor emits for one increment: the new state, and the level change if there was one. */
record IncidentUpdate(IncidentState state, SeverityChange change) {
}
