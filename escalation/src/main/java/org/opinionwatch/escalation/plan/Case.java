package org.opinionwatch.escalation.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * What the plan remembers of one incident, its case: the escalation stage keeps it in a changelogged store, so that
 * duties, deadlines and rounds survive a restart. Immutable; {@link CasePlan} changes it through a {@link Builder}.
 *
 * @param categories the content categories of the incident's posts, in precedence order (the playbook's)
 * @param level the level of the latest severity change, NONE before any
 * @param peak the highest level the case ever reached
 * @param procedure the plan's procedure in force: the level whose duties were given last (MAJOR for a GENERAL
 *     incident that went to the major procedure); NONE once it subsided
 * @param spell counts the entries to the major procedure from below it: reports are given again at each
 * @param reviewed whether the case's review is done with, so that a relapse below MAJOR gets no second one
 * @param reopened whether the case opened again after it subsided: its next rise to the relapse level is a relapse
 * @param metrics the latest metrics known, null before any report
 * @param metricsAt the event time of {@code metrics}: an older report never replaces a newer one
 * @param round the tracking round, null if none is running
 * @param bulletins the bulletins of the current MAJOR or CRITICAL spell, null while below MAJOR
 * @param subsidedAt when the incident subsided, while its aftercare runs; null otherwise
 * @param duties every duty the plan gave in this case, and what became of it (the latest {@value #DUTIES})
 * @param actions the ids of the last actions applied, so that an action read twice counts once
 * @param timeline what happened, for the review (the latest {@value #TIMELINE} lines, each at most
 *     {@link Limits#QUOTED_LINE_CHARS} characters)
 * @param openedAt when the case last opened (its first level change, or its reopening); null in a case stored before
 *     it was kept
 * @param outlook what tracking and the classifier's forecasts say of where the incident is going
 * @param unreported the incident's latest checkpoint or forecast for the daily report, held until its report is due
 *     or a later report's replaces it: the report shows only each incident's latest, so the desk is sent only that one
 *     ({@link CasePlan#reportDue}); null when none waits
 * @param timers its pending timers, in the order they were armed, one per {@link Timer#key}: every step that arms or
 *     fires one changes the case, which is written at the commit anyway, so they cost no record of their own; the
 *     stage indexes them by due time in memory, made again from the cases at every start
 */
public record Case(String incidentId, String subject, PostRef rootPost, List<String> categories, Level level, Level peak,
                   Level procedure, Status status, int spell, boolean reviewed, boolean reopened, WindowMetrics metrics,
                   Instant metricsAt, Round round, Round bulletins, Instant subsidedAt, List<DutyState> duties,
                   List<String> actions, List<Reports.Line> timeline, Instant openedAt, Outlook outlook,
                   Output.DeskEntry unreported, List<Timer> timers) {

    static final int TIMELINE = 200;
    static final int ACTIONS = 50;
    /**
     * Duties kept: far more than a case's plan gives, few enough that the case (and the review that lists them) stays
     * well within what a record may hold, however long an incident lasts.
     */
    static final int DUTIES = 500;

    /** Where a case stands. */
    public enum Status {
        /** No level change yet. */
        NEW,
        OPEN,
        /** Subsided: the aftercare watches for a relapse. */
        AFTERCARE,
        /** Subsided and reviewed (or needing no review); it may open again. */
        CLOSED,
        /** People judged it not about us, or a false alarm: it stays closed. */
        DISMISSED,
        /** People merged it into another case, which goes on. */
        MERGED
    }

    public Case {
        categories = categories == null ? List.of() : List.copyOf(categories);
        subject = Limits.truncate(subject, Limits.QUOTED_LINE_CHARS);
        duties = duties == null ? List.of() : List.copyOf(duties.size() > DUTIES ? duties.subList(duties.size() - DUTIES, duties.size()) : duties);
        actions = actions == null ? List.of() : List.copyOf(actions);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        status = status == null ? Status.NEW : status;
        outlook = outlook == null ? Outlook.NONE : outlook;
        timers = timers == null ? List.of() : List.copyOf(timers);
    }

    /**
     * Where the incident is going, as the duty board shows it and the plan judges it: most of it goes no further than
     * the board and the daily report, and a person hears only of what changes something.
     *
     * @param trend the trend of the last tracking checkpoint; null before the first of the running round
     * @param trough the lowest counts (each on its own) since a checkpoint saw the incident fall, null while it has not
     *     fallen: a rise from there that means something is a new wave
     * @param forecast the classifier's forecast at the incident's present level, null when it made none
     * @param forecastHeard the highest level whose forecast the role leading the incident has heard of in this case
     */
    public record Outlook(TrackingCheckpoint.Trend trend, WindowMetrics trough, Forecast forecast, Level forecastHeard) {
        static final Outlook NONE = new Outlook(null, null, null, Level.NONE);

        public Outlook {
            forecastHeard = forecastHeard == null ? Level.NONE : forecastHeard;
        }

        Outlook withTrend(TrackingCheckpoint.Trend trend, WindowMetrics trough) {
            return new Outlook(trend, trough, forecast, forecastHeard);
        }

        Outlook withForecast(Forecast forecast) {
            return new Outlook(trend, trough, forecast, forecastHeard);
        }

        Outlook heard(Level level) {
            return new Outlook(trend, trough, forecast, level.isAbove(forecastHeard) ? level : forecastHeard);
        }
    }

    /**
     * The classifier's forecast ({@code incidents.forecast}): at its recent pace the incident reaches {@code next}'s
     * threshold of {@code metric} at {@code expectedAt}.
     */
    public record Forecast(Level next, String metric, long threshold, Instant at, Instant expectedAt) {
    }

    /**
     * A series: tracking checkpoints at {@code start + k * period}, or the bulletins of a spell.
     *
     * @param nextSequence the sequence of the next one to fire
     * @param lastMetrics the metrics at the last one, or at the start before the first
     * @param periodStart for tracking: the metrics when the current tracking period began, which growth is measured from
     */
    public record Round(Instant start, int nextSequence, WindowMetrics lastMetrics, WindowMetrics periodStart) {
        Round next(WindowMetrics metricsNow) {
            return new Round(start, nextSequence + 1, metricsNow, periodStart);
        }

        Round newPeriod(WindowMetrics metricsNow) {
            return new Round(start, nextSequence, lastMetrics, metricsNow);
        }
    }

    /**
     * A duty the plan gave, and what became of it.
     *
     * @param level the incident's level when it was given
     * @param spell the major-procedure spell it belongs to (reports are given once per spell and level)
     * @param given when the plan gave it; null while it waits for the office's forwarding
     * @param start when its role was told: {@code given}, or the end of the role's quiet hours
     * @param due its deadline, null if it has none
     * @param notificationId the notification that told the role
     * @param closedAt when it was done or otherwise closed; {@code by} who did it
     */
    public record DutyState(String duty, Role role, Level level, int spell, Instant given, Instant start, Instant due,
                            String notificationId, State state, Instant closedAt, String by, boolean reminded,
                            boolean overdue) {
        /** What became of a duty. */
        public enum State {
            /** Waits for the office to triage and forward the incident. */
            WAITING,
            OPEN,
            DONE,
            /** A higher level's procedure took its place (inhibition). */
            SUPERSEDED,
            /** Closed with the case (dismissed, merged, or a standing instruction when it subsided). */
            CLOSED
        }

        public boolean isOpen() {
            return state == State.OPEN;
        }

        DutyState closed(State to, Instant at, String person) {
            return new DutyState(duty, role, level, spell, given, start, due, notificationId, to, at, person, reminded, overdue);
        }

        DutyState withReminder() {
            return new DutyState(duty, role, level, spell, given, start, due, notificationId, state, closedAt, by, true, overdue);
        }

        DutyState withOverdue() {
            return new DutyState(duty, role, level, spell, given, start, due, notificationId, state, closedAt, by, reminded, true);
        }
    }

    public static Case fresh(String incidentId) {
        return new Case(incidentId, null, null, List.of(), Level.NONE, Level.NONE, Level.NONE, Status.NEW, 0, false, false,
                null, null, null, null, null, List.of(), List.of(), List.of(), null, Outlook.NONE, null, List.of());
    }

    /** Since when the case is open: when it opened, or for a case stored before that was kept, its oldest line. */
    public Instant openSince() {
        return openedAt != null || timeline.isEmpty() ? openedAt : timeline.get(0).at();
    }

    Builder edit() {
        return new Builder(this);
    }

    /** These metrics if reported at or after the ones known (an out-of-order older report is ignored). */
    public Case withMetrics(WindowMetrics reported, Instant reportedAt) {
        if (reported == null || (metricsAt != null && reportedAt.isBefore(metricsAt))) {
            return this;
        }
        // Its lists as they are (immutable, so not copied): every timer that fires takes the case this way.
        return new Case(incidentId, subject, rootPost, categories, level, peak, procedure, status, spell, reviewed, reopened,
                reported, reportedAt, round, bulletins, subsidedAt, duties, actions, timeline, openedAt, outlook, unreported,
                timers);
    }

    /** The case with this timer pending too, in place of one of the same key. */
    public Case withTimer(Timer timer) {
        Builder b = edit();
        b.arm(timer);
        return b.build();
    }

    /** A mutable copy for the plan's many small changes; records stay immutable in the store. */
    static final class Builder {
        private final String incidentId;
        String subject;
        PostRef rootPost;
        List<String> categories;
        Level level;
        Level peak;
        Level procedure;
        Status status;
        int spell;
        boolean reviewed;
        boolean reopened;
        WindowMetrics metrics;
        Instant metricsAt;
        Round round;
        Round bulletins;
        Instant subsidedAt;
        final List<DutyState> duties;
        final List<String> actions;
        final List<Reports.Line> timeline;
        Instant openedAt;
        Outlook outlook;
        Output.DeskEntry unreported;
        final List<Timer> timers;

        Builder(Case c) {
            incidentId = c.incidentId;
            subject = c.subject;
            rootPost = c.rootPost;
            categories = c.categories;
            level = c.level;
            peak = c.peak;
            procedure = c.procedure;
            status = c.status;
            spell = c.spell;
            reviewed = c.reviewed;
            reopened = c.reopened;
            metrics = c.metrics;
            metricsAt = c.metricsAt;
            round = c.round;
            bulletins = c.bulletins;
            subsidedAt = c.subsidedAt;
            duties = new ArrayList<>(c.duties);
            actions = new ArrayList<>(c.actions);
            timeline = new ArrayList<>(c.timeline);
            openedAt = c.openedAt;
            outlook = c.outlook;
            unreported = c.unreported;
            timers = new ArrayList<>(c.timers);
        }

        String incidentId() {
            return incidentId;
        }

        /** A line of the timeline; what people wrote in it (an action's note) is quoted short. */
        void log(Instant at, String what) {
            timeline.add(new Reports.Line(at, Limits.truncate(what, Limits.QUOTED_LINE_CHARS)));
            if (timeline.size() > TIMELINE) {
                timeline.remove(0);
            }
        }

        /** Holds the timer as pending, in place of one of the same key (armed again, it is due once). */
        void arm(Timer timer) {
            disarm(timer);
            timers.add(timer);
        }

        /** The timer is no longer pending: it fired. */
        void disarm(Timer timer) {
            timers.removeIf(t -> t.sameKey(timer));
        }

        /** Remembers an applied action's id; false if it was applied already. */
        boolean firstTime(String actionId) {
            if (actions.contains(actionId)) {
                return false;
            }
            actions.add(actionId);
            if (actions.size() > ACTIONS) {
                actions.remove(0);
            }
            return true;
        }

        Case build() {
            return new Case(incidentId, subject, rootPost, categories, level, peak, procedure, status, spell, reviewed, reopened,
                    metrics, metricsAt, round, bulletins, subsidedAt, duties, actions, timeline, openedAt, outlook, unreported,
                    timers);
        }
    }
}
