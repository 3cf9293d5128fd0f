package org.opinionwatch.escalation.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * The response plan run on one incident's case, as a state machine with no Kafka in it: a level change, an action or
 * a timer goes in with the case as it stands, and a {@link Step} comes out with the case after it, the notifications,
 * checkpoints and daily-report entries it gives, and the timers it arms. Time is the inputs' event time only, so the
 * same inputs give the same steps.
 */
public final class CasePlan {
    private static final String JOINED = "joined incident ";

    private final OpinionWatchConfig.Escalation settings;
    private final ResponsePlan plan;
    private final TrackingSchedule schedule;
    private final Reports reports;

    public CasePlan(OpinionWatchConfig.Escalation settings) {
        this.settings = settings;
        this.plan = new ResponsePlan(settings);
        this.schedule = new TrackingSchedule(settings);
        this.reports = new Reports(ZoneId.of(settings.dailyReport().zone()));
    }

    /** The mutable work of one step: the case being changed, and what the step gives out and arms. */
    private static final class Work {
        final Case.Builder m;
        final List<Output> out = new ArrayList<>();
        final List<Timer> timers = new ArrayList<>();

        Work(Case before) {
            this.m = before.edit();
        }

        String id() {
            return m.incidentId();
        }

        void arm(Timer timer) {
            timers.add(timer);
        }

        Step done() {
            return new Step(m.build(), out, timers);
        }
    }

    /** A change of the incident's level, as the classifier decided it. */
    public Step levelChanged(Case before, SeverityChange change) {
        Work w = new Work(before);
        Case.Builder m = w.m;
        Instant at = change.at();
        m.subject = change.subject();
        m.rootPost = change.rootPost();
        boolean relapse = change.from() == Level.NONE && m.subsidedAt != null && at.isBefore(m.subsidedAt.plus(settings.aftercare()));
        m.log(at, ResponsePlan.term(change.from()) + " → " + ResponsePlan.term(change.to())
                + (change.crossed().isEmpty() ? "" : " (" + String.join(", ", change.crossed()) + ")"));
        if (relapse) {
            m.subsidedAt = null;
            emit(w, plan.notify(ResponsePlan.About.of(change), change.to(), Duty.RELAPSE, at, "The incident about \"" + change.subject()
                    + "\" relapsed during its aftercare: it is " + ResponsePlan.term(change.to()) + " again; the plan of that level applies."));
        }
        for (Notification n : plan.onLevelChange(change)) {
            emit(w, n);
        }
        m.level = change.to();
        m.peak = change.to().compareTo(m.peak) > 0 ? change.to() : m.peak;
        m.metrics(change.metrics(), at);
        if (change.to() == Level.NONE) {
            subsided(w, at, change.crossed().stream().anyMatch(c -> c.startsWith(JOINED)));
        } else if (schedule.startsRound(change) && (m.round == null || !m.round.start().equals(at))) {
            m.round = new Case.Round(at, 1, change.metrics() != null ? change.metrics() : WindowMetrics.ZERO);
            m.growing = 0;
            w.arm(new Timer(Timer.Kind.CHECKPOINT, w.id(), schedule.due(at, 1), at, 1, null));
        }
        if (change.to().compareTo(Level.MAJOR) >= 0) {
            startBulletins(w, at);
        }
        w.out.add(new Output.DeskEntry(w.id(), change.subject(), change.to(), change.metrics(), at));
        return w.done();
    }

    /**
     * Subsided: tracking and bulletins end; an incident that needed a response (GENERAL or above) gets its
     * aftercare, then the review. One that joined another incident goes on there: no review of its own.
     */
    private void subsided(Work w, Instant at, boolean joined) {
        Case.Builder m = w.m;
        m.round = null;
        m.bulletins = null;
        m.majorProcedure = false;
        if (!joined && m.peak.compareTo(Level.GENERAL) >= 0) {
            m.subsidedAt = at;
            w.arm(new Timer(Timer.Kind.AFTERCARE, w.id(), at.plus(settings.aftercare()), at, 0, null));
        }
    }

    /** What a person did: the pending duties it fulfils are done. */
    public Step acted(Case before, Action action) {
        Work w = new Work(before);
        Case.Builder m = w.m;
        List<String> done = new ArrayList<>();
        for (var it = m.pending.iterator(); it.hasNext(); ) {
            Case.Pending p = it.next();
            if (Duty.of(p.duty()).fulfilledBy(action.kind())) {
                it.remove();
                done.add(p.duty());
                for (int i = 0; i < m.outcomes.size(); i++) {
                    Reports.Outcome o = m.outcomes.get(i);
                    if (o.duty().equals(p.duty()) && o.entered().equals(p.at()) && o.doneAt() == null) {
                        m.outcomes.set(i, o.done(action.at(), action.by()));
                    }
                }
            }
        }
        m.log(action.at(), action.kind().name().toLowerCase(Locale.ROOT) + " by " + action.by()
                + (action.note().isBlank() ? "" : ": " + action.note()) + (done.isEmpty() ? "" : " (done: " + String.join(", ", done) + ")"));
        return w.done();
    }

    /** A timer of the case that is due at {@code at}; it does what it still applies to. */
    public Step fired(Case before, Timer timer, Instant at) {
        Work w = new Work(before);
        switch (timer.kind()) {
            case CHECKPOINT -> checkpoint(w, timer, at);
            case REMINDER, OVERDUE -> deadline(w, timer, at);
            case BULLETIN -> bulletin(w, timer, at);
            case AFTERCARE -> aftercareOver(w, timer, at);
        }
        return w.done();
    }

    private void checkpoint(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        Case.Round round = m.round;
        if (round == null || !round.start().equals(timer.start()) || round.nextSequence() != timer.sequence()) {
            return; // a newer round replaced it, or the incident subsided
        }
        WindowMetrics now = m.metrics != null ? m.metrics : round.lastMetrics();
        TrackingCheckpoint checkpoint = schedule.checkpoint(w.id(), m.level, round.start(), round.nextSequence(), now, round.lastMetrics());
        w.out.add(new Output.Track(checkpoint));
        m.round = round.next(now);
        if (m.level == Level.GENERAL && !m.majorProcedure) {
            m.growing = checkpoint.trend() == TrackingCheckpoint.Trend.RISING ? m.growing + 1 : 0;
            if (m.growing >= settings.growingCheckpoints()) {
                majorProcedure(w, at, "it kept growing at " + m.growing + " checkpoints in a row");
            } else if (checkpoint.sequence() == schedule.checkpointsPerRound() && checkpoint.trend() == TrackingCheckpoint.Trend.RISING) {
                majorProcedure(w, at, "it has not calmed down within " + ResponsePlan.human(settings.trackingFor()) + ": still growing");
            }
        }
        if (schedule.hasCheckpoint(m.round.nextSequence(), m.level, checkpoint.trend())) {
            w.arm(new Timer(Timer.Kind.CHECKPOINT, w.id(), schedule.due(round.start(), m.round.nextSequence()), round.start(),
                    m.round.nextSequence(), null));
        }
    }

    /** A GENERAL incident that does not calm down or keeps growing is handled by the MAJOR procedure. */
    private void majorProcedure(Work w, Instant at, String why) {
        Case.Builder m = w.m;
        m.majorProcedure = true;
        m.log(at, "handled by the major procedure: " + why);
        for (Notification n : plan.majorProcedure(m.about(), Level.MAJOR, at, "the general incident about \"" + m.subject
                + "\" goes to the major procedure: " + why)) {
            emit(w, n);
        }
        startBulletins(w, at);
    }

    private void startBulletins(Work w, Instant at) {
        Case.Builder m = w.m;
        if (m.bulletins == null) {
            m.bulletins = new Case.Round(at, 1, m.metrics != null ? m.metrics : WindowMetrics.ZERO);
            w.arm(new Timer(Timer.Kind.BULLETIN, w.id(), at.plus(settings.bulletinEvery()), at, 1, null));
        }
    }

    private void bulletin(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        Case.Round b = m.bulletins;
        if (b == null || !b.start().equals(timer.start()) || b.nextSequence() != timer.sequence()) {
            return;
        }
        WindowMetrics now = m.metrics != null ? m.metrics : b.lastMetrics();
        List<Reports.Outcome> open = m.outcomes.stream().filter(o -> o.doneAt() == null).toList();
        String report = reports.bulletin(m.subject, m.level, b.nextSequence(), at, now, now.minus(b.lastMetrics()), open);
        emit(w, plan.notify(m.about(), m.level, Duty.BULLETIN, Duty.BULLETIN.role(), at, null,
                "Bulletin (网络舆情通报) No. " + b.nextSequence() + " on the incident about \"" + m.subject + "\".", report,
                ResponsePlan.uuid(w.id() + "|bulletin|" + b.start().toEpochMilli() + "|" + b.nextSequence())));
        m.bulletins = b.next(now);
        w.arm(new Timer(Timer.Kind.BULLETIN, w.id(), at.plus(settings.bulletinEvery()), b.start(), m.bulletins.nextSequence(), null));
    }

    /** A reminder before a deadline, or the overdue notice to the role above after it; nothing if the duty is done. */
    private void deadline(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        for (int i = 0; i < m.pending.size(); i++) {
            Case.Pending p = m.pending.get(i);
            if (!p.notificationId().equals(timer.notificationId())) {
                continue;
            }
            if (timer.kind() == Timer.Kind.REMINDER) {
                emit(w, plan.notify(m.about(), p.level(), Duty.REMINDER, p.role(), at, p.due(), "Reminder: " + p.duty()
                        + " on the incident about \"" + m.subject + "\" is due in " + ResponsePlan.human(Duration.between(at, p.due())) + ".",
                        null, ResponsePlan.uuid(p.notificationId() + "|reminder")));
            } else {
                Role above = settings.escalationOf(p.role());
                emit(w, plan.notify(m.about(), p.level(), Duty.OVERDUE, above, at, null, "Overdue: " + p.role() + " has not done "
                        + p.duty() + " on the incident about \"" + m.subject + "\", due " + p.due() + ". See that it is done.",
                        null, ResponsePlan.uuid(p.notificationId() + "|overdue")));
                m.pending.set(i, new Case.Pending(p.notificationId(), p.duty(), p.role(), p.level(), p.at(), p.due(), true));
                m.log(at, p.duty() + " is overdue; " + above + " told");
            }
            return;
        }
    }

    /** The aftercare ended without a relapse: the review is due, with the incident's timeline and response times. */
    private void aftercareOver(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        if (m.subsidedAt == null || !m.subsidedAt.equals(timer.start())) {
            return; // it relapsed
        }
        m.subsidedAt = null;
        m.log(at, "aftercare over, no relapse");
        String report = reports.review(w.id(), m.subject, m.peak, timer.start(), m.timeline, m.outcomes);
        emit(w, plan.notify(m.about(), m.peak, Duty.REVIEW, Duty.REVIEW.role(), at, plan.due(Duty.REVIEW, at),
                "Review (总结评估) the incident about \"" + m.subject + "\" within " + ResponsePlan.human(settings.reviewWithin())
                        + ": its timeline and response times are attached.", report,
                ResponsePlan.uuid(w.id() + "|review|" + timer.start().toEpochMilli())));
        m.peak = Level.NONE; // a later opening is a new incident for the next review
    }

    /** Sends a notification; one with a deadline becomes a pending duty with a reminder and an overdue timer. */
    private void emit(Work w, Notification n) {
        Case.Builder m = w.m;
        w.out.add(new Output.Notify(n));
        if (n.due() == null || Duty.of(n.duty()).deadline() == Duty.Deadline.NONE) {
            return;
        }
        if (m.pending.stream().anyMatch(p -> p.notificationId().equals(n.id()))) {
            return; // the same change again: its duty is pending already
        }
        m.pending.add(new Case.Pending(n.id(), n.duty(), n.role(), n.level(), n.at(), n.due(), false));
        m.outcomes.add(new Reports.Outcome(n.duty(), n.role(), n.at(), n.due(), null, null));
        Instant remindAt = n.due().minus(settings.remindBefore());
        if (remindAt.isAfter(n.at())) {
            w.arm(new Timer(Timer.Kind.REMINDER, n.incidentId(), remindAt, n.at(), 0, n.id()));
        }
        w.arm(new Timer(Timer.Kind.OVERDUE, n.incidentId(), n.due(), n.at(), 0, n.id()));
    }
}
