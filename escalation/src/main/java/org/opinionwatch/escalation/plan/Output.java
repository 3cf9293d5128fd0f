package org.opinionwatch.escalation.plan;

import java.time.Instant;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;

/** What the plan gives out for an incident, each bound for one channel of the stage, at an instant of event time. */
public sealed interface Output {
    /** Where an output goes: a topic, or the desk that writes the daily report. */
    enum Channel { NOTIFICATIONS, TRACKING, DESK }

    Channel channel();

    /** The incident it is about: its record's key. */
    String incidentId();

    Instant at();

    record Notify(Notification notification) implements Output {
        @Override
        public Channel channel() {
            return Channel.NOTIFICATIONS;
        }

        @Override
        public String incidentId() {
            return notification.incidentId();
        }

        @Override
        public Instant at() {
            return notification.at();
        }
    }

    record Track(TrackingCheckpoint checkpoint) implements Output {
        @Override
        public Channel channel() {
            return Channel.TRACKING;
        }

        @Override
        public String incidentId() {
            return checkpoint.incidentId();
        }

        @Override
        public Instant at() {
            return checkpoint.at();
        }
    }

    /**
     * For the desk, which writes the daily report: an incident's level change, or, with a null incident, only that
     * event time has reached {@code at} (a heartbeat), so that the reports due by then can go once every task has got
     * there.
     */
    record DeskEntry(String incidentId, String subject, Level level, WindowMetrics metrics, Instant at) implements Output {
        public static DeskEntry reached(Instant at) {
            return new DeskEntry(null, null, null, null, at);
        }

        @Override
        public Channel channel() {
            return Channel.DESK;
        }
    }
}
