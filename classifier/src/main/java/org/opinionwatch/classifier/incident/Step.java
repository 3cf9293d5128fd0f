package org.opinionwatch.classifier.incident;

import java.util.List;

/**
 * What the incident's state machine did with one input: the incident after it (null when it is gone, its story
 * having joined another), the incident it joined if it did, and the decisions, in the order they were taken.
 */
public record Step(IncidentRecord after, String joinedTo, List<Decision> decisions) {
    public Step {
        decisions = List.copyOf(decisions);
    }
}
