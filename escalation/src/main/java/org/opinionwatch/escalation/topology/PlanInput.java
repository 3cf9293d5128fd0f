package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;

/**
 * What the plan processor reads, one type per kind of input (the classifier's decisions and progress from its
 * timeline, people's actions), so that each is told apart by its type once, where it is read, and handled by the
 * methods of its own ({@link Handler}).
 */
sealed interface PlanInput {
    /** The event time the input carries. */
    Instant time();

    /**
     * Whether the stage's clock moves to the input's time: the classifier's decisions and progress move it; people's
     * actions, which may come ahead of it, do not.
     */
    default boolean movesClock() {
        return true;
    }

    void applyTo(Handler handler);

    /** One method per kind of input. */
    interface Handler {
        void levelChanged(SeverityChange change);

        void stateReported(IncidentState state);

        void acted(Action action);

        void forecast(ForecastWarning forecast);

        void tick(Instant reached);
    }

    /**
     * What the classifier decided about an incident at one instant: its state first (the case's metrics as of then), then
     * its level change and its forecast, if any.
     */
    record Decided(TimelineEntry entry) implements PlanInput {
        @Override
        public Instant time() {
            return entry.at();
        }

        @Override
        public void applyTo(Handler handler) {
            if (entry.state() != null) {
                handler.stateReported(entry.state());
            }
            if (entry.change() != null) {
                handler.levelChanged(entry.change());
            }
            if (entry.forecast() != null) {
                handler.forecast(entry.forecast());
            }
        }
    }

    record Taken(Action action) implements PlanInput {
        @Override
        public Instant time() {
            return action.at();
        }

        @Override
        public boolean movesClock() {
            return false;
        }

        @Override
        public void applyTo(Handler handler) {
            handler.acted(action);
        }
    }

    /** How far the classifier has decided: every decision before {@code reached} came before it. */
    record Tick(Instant reached) implements PlanInput {
        @Override
        public Instant time() {
            return reached;
        }

        @Override
        public void applyTo(Handler handler) {
            handler.tick(reached);
        }
    }

    /** A timeline entry as the plan's input. */
    static PlanInput of(TimelineEntry entry) {
        return entry.reached() != null ? new Tick(entry.reached()) : new Decided(entry);
    }
}
