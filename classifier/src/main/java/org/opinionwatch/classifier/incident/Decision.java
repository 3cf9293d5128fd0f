package org.opinionwatch.classifier.incident;

import java.time.Instant;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;

/** What the incident's state machine decided at one instant, for the processor to send on or account for. */
public sealed interface Decision {
    /** What each kind of decision is handed to. */
    interface Handler {
        void update(Update update);

        void handover(Increment increment);

        void notCounted(NotCounted notCounted);

        void notJudged(NotJudged notJudged);
    }

    void handTo(Handler handler);

    /** The incident's state at {@code at}, with its level change and forecast if any (people's judgement applied). */
    record Update(String incidentId, IncidentState state, SeverityChange change, ForecastWarning forecast, Instant at) implements Decision {
        @Override
        public void handTo(Handler handler) {
            handler.update(this);
        }
    }

    /** An increment that now belongs to another incident (its story joined that one), keyed by that incident. */
    record Handover(Increment increment) implements Decision {
        @Override
        public void handTo(Handler handler) {
            handler.handover(increment);
        }
    }

    /**
     * An increment older than its incident's whole window: what it says about the incident still counts, its
     * engagement can no longer change a level and is not counted.
     */
    record NotCounted(String incidentId, Instant at, Instant windowEnd) implements Decision {
        @Override
        public void handTo(Handler handler) {
            handler.notCounted(this);
        }
    }

    /** People's judgement of an incident that is not open here: nothing to judge (the escalation checks actions). */
    record NotJudged(String incidentId, String why) implements Decision {
        @Override
        public void handTo(Handler handler) {
            handler.notJudged(this);
        }
    }
}
