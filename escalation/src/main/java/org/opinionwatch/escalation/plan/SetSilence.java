package org.opinionwatch.escalation.plan;

import java.time.Instant;
import org.opinionwatch.contract.event.Action;

/**
 * A silence as people set it: it holds from the instant of the action that set it ({@code from}; null for one kept by
 * a release that did not record it: from always) until its end. The stage may take an action before its clock has
 * reached it (people act on the wall clock, the stage keeps the classifier's), and a silence must not hold back what
 * was decided before it was set.
 */
public record SetSilence(Action.Silence silence, Instant from) {
    public static final String SCHEMA = "escalation-silence/2";

    /** Whether it holds at {@code at}: set by then, and not yet over. */
    public boolean holdsAt(Instant at) {
        return (from == null || !at.isBefore(from)) && silence.until().isAfter(at);
    }
}
