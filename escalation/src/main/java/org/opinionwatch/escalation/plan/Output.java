package org.opinionwatch.escalation.plan;

import java.time.Instant;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;

/** What the plan gives out for an incident, each bound for one channel of the stage, at an instant of event time. */
public sealed interface Output {
    /** Where an output goes: a topic, or the desk that writes digests and the daily report. */
    enum Channel { NOTIFICATIONS, TRACKING, DESK, ACTIONS }

    Channel channel();

    /** The incident it is about: its record's key; null for what is not about one incident. */
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

    /** What the simulated office did ({@code escalation.office}): recorded on {@code actions} like a person's. */
    record Act(Action action) implements Output {
        @Override
        public Channel channel() {
            return Channel.ACTIONS;
        }

        @Override
        public String incidentId() {
            return action.incidentId();
        }

        @Override
        public Instant at() {
            return action.at();
        }
    }

    /**
     * For the desk, which writes digests and the daily report: an incident as a level change left it, or as a
     * tracking checkpoint or a forecast found it ({@code tracked}), with its trend and the forecast in force; a
     * notification that a role's quiet hours hold ({@code held}, with its {@code deliverAt}), or one held that is sent
     * at once after all ({@code withdrawn}: the digest leaves it out); or, with no incident, only that event time has
     * reached {@code at} (a heartbeat), so that what is due by then can go once every task has got there.
     */
    record DeskEntry(String incidentId, String subject, PostRef rootPost, Level level, WindowMetrics metrics, Instant at,
                     Notification held, boolean withdrawn, TrackingCheckpoint.Trend trend, Case.Forecast forecast,
                     boolean tracked) implements Output {
        public static DeskEntry reached(Instant at) {
            return new DeskEntry(null, null, null, null, null, at, null, false, null, null, false);
        }

        public static DeskEntry of(String incidentId, String subject, PostRef rootPost, Level level, WindowMetrics metrics,
                                   TrackingCheckpoint.Trend trend, Case.Forecast forecast, Instant at, boolean tracked) {
            return new DeskEntry(incidentId, subject, rootPost, level, metrics, at, null, false, trend, forecast, tracked);
        }

        public static DeskEntry held(Notification n) {
            return new DeskEntry(n.incidentId(), n.subject(), n.rootPost(), n.level(), n.metrics(), n.at(), n, false, null, null, false);
        }

        /** The held notification of that id, to that role, for that delivery, is withdrawn from its digest. */
        public static DeskEntry withdrawn(String incidentId, String notificationId, org.opinionwatch.contract.event.Role role,
                                          Instant deliverAt, Instant at) {
            return new DeskEntry(incidentId, null, null, null, null, at, new Notification(notificationId, Notification.Kind.DUTIES,
                    incidentId, null, null, null, role, null, null, null, at, null, deliverAt, null, null, null), true, null, null, false);
        }

        @Override
        public Channel channel() {
            return Channel.DESK;
        }
    }
}
