package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * What the plan processor reads, one type per input topic, so that each is told apart by its type once, where it
 * is read, and handled by the method of its own ({@link Handler}).
 */
sealed interface PlanInput {
    /** The event time the input carries: the stream time of the stage. */
    Instant time();

    void applyTo(Handler handler);

    /** One method per kind of input. */
    interface Handler {
        void levelChanged(SeverityChange change);

        void stateReported(IncidentState state);

        void acted(Action action);

        void forecast(ForecastWarning forecast);

        void tick(Heartbeat heartbeat);
    }

    record LevelChange(SeverityChange change) implements PlanInput {
        @Override
        public Instant time() {
            return change.at();
        }

        @Override
        public void applyTo(Handler handler) {
            handler.levelChanged(change);
        }
    }

    record StateReport(IncidentState state) implements PlanInput {
        @Override
        public Instant time() {
            return state.updatedAt();
        }

        @Override
        public void applyTo(Handler handler) {
            handler.stateReported(state);
        }
    }

    record Taken(Action action) implements PlanInput {
        @Override
        public Instant time() {
            return action.at();
        }

        @Override
        public void applyTo(Handler handler) {
            handler.acted(action);
        }
    }

    record Forecast(ForecastWarning forecast) implements PlanInput {
        @Override
        public Instant time() {
            return forecast.at();
        }

        @Override
        public void applyTo(Handler handler) {
            handler.forecast(forecast);
        }
    }

    record Tick(Heartbeat heartbeat) implements PlanInput {
        @Override
        public Instant time() {
            return heartbeat.time();
        }

        @Override
        public void applyTo(Handler handler) {
            handler.tick(heartbeat);
        }
    }
}
