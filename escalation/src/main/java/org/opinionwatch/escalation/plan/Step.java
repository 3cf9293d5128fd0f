package org.opinionwatch.escalation.plan;

import java.util.List;

/**
 * What the plan did with one input to a case: the case after it, what it gives out (in event-time order), and the
 * timers it arms.
 */
public record Step(Case after, List<Output> outputs, List<Timer> timers) {
    public Step {
        outputs = List.copyOf(outputs);
        timers = List.copyOf(timers);
    }
}
