package org.opinionwatch.escalation.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.escalation.plan.Reports;
import org.opinionwatch.escalation.plan.ResponsePlan;

/**
 * What the escalation stage remembers of one incident (store {@value EscalationTopology#INCIDENT_STORE}, key:
 * incident id, changelogged, so that deadlines and rounds survive a restart).
 *
 * @param level the level of the latest severity change, NONE before any
 * @param peak the highest level since the incident opened
 * @param majorProcedure whether the MAJOR procedure is in force for a GENERAL incident (it did not calm down or
 *     kept growing)
 * @param metrics the latest metrics known, null before any report
 * @param metricsAt the event time of {@code metrics}: an older report never replaces a newer one
 * @param round the tracking round, null if none is running
 * @param growing how many checkpoints in a row have shown growth
 * @param bulletins the bulletins of a MAJOR or CRITICAL incident, null when none are due
 * @param subsidedAt when the incident subsided, while its aftercare runs; null otherwise
 * @param pending the duties with a deadline that no action has fulfilled yet (the latest {@value #DUTIES})
 * @param outcomes every duty with a deadline since the incident opened, done or not, for the review (the latest
 *     {@value #DUTIES})
 * @param timeline what happened, for the review (the latest {@value #TIMELINE} lines, each at most
 *     {@link Limits#QUOTED_LINE_CHARS} characters)
 */
record IncidentMemory(String incidentId, String subject, PostRef rootPost, Level level, Level peak, boolean majorProcedure,
                      WindowMetrics metrics, Instant metricsAt, Round round, int growing, Round bulletins, Instant subsidedAt,
                      List<Pending> pending, List<Reports.Outcome> outcomes, List<Reports.Line> timeline) {

    static final String SCHEMA = "escalation-incident/2";
    static final JsonSerde<IncidentMemory> SERDE = new JsonSerde<>(IncidentMemory.class, SCHEMA);
    static final int TIMELINE = 200;
    /**
     * Duties kept, pending and for the review: far more than an incident's plan gives, few enough that the memory (and
     * the review that lists them) stays well within what a record may hold, however long an incident lasts.
     */
    static final int DUTIES = 500;

    IncidentMemory {
        subject = Limits.truncate(subject, Limits.QUOTED_LINE_CHARS);
        pending = latest(pending, DUTIES);
        outcomes = latest(outcomes, DUTIES);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    private static <T> List<T> latest(List<T> list, int max) {
        return list == null ? List.of() : List.copyOf(list.subList(Math.max(0, list.size() - max), list.size()));
    }

    /**
     * A series of instants at {@code start + k * period}: tracking checkpoints, or bulletins.
     *
     * @param nextSequence the sequence of the next one to fire
     * @param lastMetrics the metrics at the last one, or at the start before the first
     */
    record Round(Instant start, int nextSequence, WindowMetrics lastMetrics) {
        Round next(WindowMetrics metricsNow) {
            return new Round(start, nextSequence + 1, metricsNow);
        }
    }

    /** A duty with a deadline, not yet done: the notification that set it, and whether it is overdue already. */
    record Pending(String notificationId, String duty, Role role, Level level, Instant at, Instant due, boolean overdue) {
    }

    static IncidentMemory fresh(String incidentId) {
        return new IncidentMemory(incidentId, null, null, Level.NONE, Level.NONE, false, null, null, null, 0, null, null,
                List.of(), List.of(), List.of());
    }

    Builder edit() {
        return new Builder(this);
    }

    /** These metrics if reported at or after the ones known (an out-of-order older report is ignored). */
    IncidentMemory withMetrics(WindowMetrics reported, Instant reportedAt) {
        if (reported == null || (metricsAt != null && reportedAt.isBefore(metricsAt))) {
            return this;
        }
        return edit().metrics(reported, reportedAt).build();
    }

    IncidentMemory withRound(Round newRound) {
        return edit().round(newRound).build();
    }

    /** A mutable copy for the processor's many small changes; records stay immutable in the store. */
    static final class Builder {
        private final IncidentMemory m;
        String subject;
        PostRef rootPost;
        Level level;
        Level peak;
        boolean majorProcedure;
        WindowMetrics metrics;
        Instant metricsAt;
        Round round;
        int growing;
        Round bulletins;
        Instant subsidedAt;
        final List<Pending> pending;
        final List<Reports.Outcome> outcomes;
        final List<Reports.Line> timeline;

        Builder(IncidentMemory m) {
            this.m = m;
            subject = m.subject;
            rootPost = m.rootPost;
            level = m.level;
            peak = m.peak;
            majorProcedure = m.majorProcedure;
            metrics = m.metrics;
            metricsAt = m.metricsAt;
            round = m.round;
            growing = m.growing;
            bulletins = m.bulletins;
            subsidedAt = m.subsidedAt;
            pending = new ArrayList<>(m.pending);
            outcomes = new ArrayList<>(m.outcomes);
            timeline = new ArrayList<>(m.timeline);
        }

        Builder metrics(WindowMetrics reported, Instant at) {
            metrics = reported;
            metricsAt = at;
            return this;
        }

        /** What every notification about the incident repeats. */
        ResponsePlan.About about() {
            return new ResponsePlan.About(m.incidentId, subject, rootPost);
        }

        Builder round(Round r) {
            round = r;
            return this;
        }

        /** A line of the timeline; what people wrote in it (an action's note) is quoted short. */
        Builder log(Instant at, String what) {
            timeline.add(new Reports.Line(at, Limits.truncate(what, Limits.QUOTED_LINE_CHARS)));
            if (timeline.size() > TIMELINE) {
                timeline.remove(0);
            }
            return this;
        }

        IncidentMemory build() {
            return new IncidentMemory(m.incidentId, subject, rootPost, level, peak, majorProcedure, metrics, metricsAt, round,
                    growing, bulletins, subsidedAt, pending, outcomes, timeline);
        }
    }
}
