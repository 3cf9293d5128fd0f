package org.opinionwatch.escalation.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.escalation.plan.Duty;
import org.opinionwatch.escalation.plan.Reports;
import org.opinionwatch.escalation.plan.ResponsePlan;
import org.opinionwatch.escalation.plan.TrackingSchedule;
import org.opinionwatch.runtime.state.Mirrored;
import org.opinionwatch.runtime.state.RecentlyUsed;

/**
 * The escalation stage's plan processor. It reads severity changes, incident states, actions and heartbeats (one
 * task sees the same partition of all four topics) and writes notifications, tracking checkpoints, and what the
 * daily report needs.
 *
 * <p>Time is event time only. Everything due (checkpoints, reminders, overdue notices, bulletins, the end of an
 * aftercare) fires once stream time has passed it: before an event later than it is applied, or by the stream-time
 * punctuator in quiet periods, which heartbeats carry on. Wall-clock time is never read, so a replay gives what the
 * live run gave.
 */
final class PlanProcessor implements Processor<String, Object, String, Object> {
    /** How often stream time is checked for due timers; a timer fires at most this late in event time. */
    static final Duration PUNCTUATE_EVERY = Duration.ofMinutes(1);
    private static final String JOINED = "joined incident ";
    /** A few thousand memories: the incidents of a busy day and their timers, some megabytes. */
    private static final int RECENT_INCIDENTS = 5_000;

    private final OpinionWatchConfig.Escalation settings;
    private final ResponsePlan plan;
    private final TrackingSchedule schedule;
    private final Reports reports;
    private final EscalationMetrics metrics;
    private ProcessorContext<String, Object> context;
    /** Incidents' memories as objects, the recent ones: every timer that fires reads its incident's. */
    private RecentlyUsed<IncidentMemory> incidents;
    /** The latest metrics reported of each incident, the recent ones as objects: read for every state and every timer. */
    private RecentlyUsed<ReportedMetrics> reported;
    /**
     * Pending timers, in due order, held whole in memory: due timers are looked for before every event, and a RocksDB
     * range scan each time was a fifth of the stage's thread in a replay (BENCHMARKS.md). A timer is deleted as it
     * fires, so these are the open incidents' few timers each.
     */
    private Mirrored<Timer> timers;

    PlanProcessor(OpinionWatchConfig.Escalation settings, EscalationMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.plan = new ResponsePlan(settings);
        this.schedule = new TrackingSchedule(settings);
        this.reports = new Reports(java.time.ZoneId.of(settings.dailyReport().zone()));
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        KeyValueStore<String, IncidentMemory> incidentStore = context.getStateStore(EscalationTopology.INCIDENT_STORE);
        this.incidents = new RecentlyUsed<>(incidentStore, RECENT_INCIDENTS);
        this.reported = new RecentlyUsed<>(context.getStateStore(EscalationTopology.METRICS_STORE), RECENT_INCIDENTS);
        this.timers = new Mirrored<>(context.getStateStore(EscalationTopology.TIMER_STORE));
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, streamTime -> fireDue(streamTime - 1));
        String task = context.taskId().toString();
        metrics.deadlines.reset(task);
        try (KeyValueIterator<String, IncidentMemory> all = incidentStore.all()) {
            all.forEachRemaining(kv -> metrics.deadlines(task, kv.value, 1));
        }
    }

    @Override
    public void close() {
        metrics.deadlines.remove(context.taskId().toString());
    }

    /** Stores what the plan did with an incident; its deadlines move the gauges. */
    private void save(IncidentMemory before, IncidentMemory after) {
        String task = context.taskId().toString();
        metrics.deadlines(task, before, -1);
        metrics.deadlines(task, after, 1);
        incidents.put(after.incidentId(), after);
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        // What was due before this event happened first, so a checkpoint sees the metrics as they were then.
        fireDue(record.timestamp() - 1);
        if (value instanceof SeverityChange change) {
            onLevelChange(change);
        } else if (value instanceof IncidentState state) {
            ReportedMetrics last = reported.get(state.incidentId());
            if (state.metrics() != null && (last == null || !state.updatedAt().isBefore(last.at()))) { // never an older report over a newer
                reported.put(state.incidentId(), new ReportedMetrics(state.metrics(), state.updatedAt()));
            }
        } else if (value instanceof Action action) {
            onAction(action);
        } else if (value instanceof Heartbeat heartbeat) {
            context.forward(new Record<>(DayEvent.KEY, DayEvent.tick(context.taskId().partition(), heartbeat.time()), record.timestamp()));
        }
        // A tombstone (null) on the compacted incidents topic carries nothing to act on.
    }

    private void onLevelChange(SeverityChange change) {
        String id = change.incidentId();
        Instant at = change.at();
        IncidentMemory before = load(id);
        IncidentMemory.Builder m = before.edit();
        m.subject = Limits.truncate(change.subject(), Limits.QUOTED_LINE_CHARS);
        m.rootPost = change.rootPost();
        boolean relapse = change.from() == Level.NONE && m.subsidedAt != null && at.isBefore(m.subsidedAt.plus(settings.aftercare()));
        m.log(at, ResponsePlan.term(change.from()) + " → " + ResponsePlan.term(change.to()) + (change.crossed().isEmpty() ? "" : " (" + String.join(", ", change.crossed()) + ")"));
        if (relapse) {
            m.subsidedAt = null;
            emit(m, plan.notify(ResponsePlan.About.of(change), change.to(), Duty.RELAPSE, at, "The incident about \"" + change.subject()
                    + "\" relapsed during its aftercare: it is " + ResponsePlan.term(change.to()) + " again; the plan of that level applies."));
        }
        for (Notification n : plan.onLevelChange(change)) {
            emit(m, n);
        }
        m.level = change.to();
        m.peak = change.to().compareTo(m.peak) > 0 ? change.to() : m.peak;
        m.metrics(change.metrics(), at);
        if (change.to() == Level.NONE) {
            subsided(m, at, change.crossed().stream().anyMatch(c -> c.startsWith(JOINED)));
        } else if (schedule.startsRound(change) && (m.round == null || !m.round.start().equals(at))) {
            m.round = new IncidentMemory.Round(at, 1, change.metrics() != null ? change.metrics() : WindowMetrics.ZERO);
            m.growing = 0;
            arm(new Timer(Timer.Kind.CHECKPOINT, id, at, 1, null), schedule.due(at, 1));
        }
        if (change.to().compareTo(Level.MAJOR) >= 0) {
            startBulletins(m, id, at);
        }
        save(before, m.build());
        context.forward(new Record<>(DayEvent.KEY, new DayEvent(context.taskId().partition(), id, m.subject, change.to(), change.metrics(), at), at.toEpochMilli()));
    }

    /**
     * Subsided: tracking and bulletins end; an incident that needed a response (GENERAL or above) gets its
     * aftercare, then the review. One that joined another incident goes on there: no review of its own.
     */
    private void subsided(IncidentMemory.Builder m, Instant at, boolean joined) {
        m.round = null;
        m.bulletins = null;
        m.majorProcedure = false;
        if (!joined && m.peak.compareTo(Level.GENERAL) >= 0) {
            m.subsidedAt = at;
            arm(new Timer(Timer.Kind.AFTERCARE, m.build().incidentId(), at, 0, null), at.plus(settings.aftercare()));
        }
    }

    private void onAction(Action action) {
        IncidentMemory before = load(action.incidentId());
        IncidentMemory.Builder m = before.edit();
        List<String> done = new java.util.ArrayList<>();
        for (var it = m.pending.iterator(); it.hasNext(); ) {
            IncidentMemory.Pending p = it.next();
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
        m.log(action.at(), action.kind().name().toLowerCase(java.util.Locale.ROOT) + " by " + action.by()
                + (action.note().isBlank() ? "" : ": " + action.note()) + (done.isEmpty() ? "" : " (done: " + String.join(", ", done) + ")"));
        save(before, m.build());
    }

    /** Stream-time punctuator (and before each event): fires every timer due at or before {@code upTo}, earliest first. */
    private void fireDue(long upTo) {
        String bound = Timer.upperBound(upTo + 1);
        Map.Entry<String, Timer> timer;
        while ((timer = timers.first()) != null && timer.getKey().compareTo(bound) < 0) {
            timers.remove(timer.getKey());
            long due = Timer.dueOf(timer.getKey());
            IncidentMemory memory = withReported(incidents.get(timer.getValue().incidentId()));
            if (memory != null) {
                save(memory, fire(timer.getValue(), memory, Instant.ofEpochMilli(due)));
            }
        }
    }

    /** What a timer does, if it still applies to the incident as it is now. */
    private IncidentMemory fire(Timer timer, IncidentMemory memory, Instant at) {
        IncidentMemory.Builder m = memory.edit();
        switch (timer.kind()) {
            case CHECKPOINT -> checkpoint(timer, m, at);
            case REMINDER, OVERDUE -> deadline(timer, m, at);
            case BULLETIN -> bulletin(timer, m, at);
            case AFTERCARE -> aftercareOver(timer, m, at);
        }
        return m.build();
    }

    private void checkpoint(Timer timer, IncidentMemory.Builder m, Instant at) {
        IncidentMemory.Round round = m.round;
        if (round == null || !round.start().equals(timer.start()) || round.nextSequence() != timer.sequence()) {
            return; // a newer round replaced it, or the incident subsided
        }
        WindowMetrics now = m.metrics != null ? m.metrics : round.lastMetrics();
        TrackingCheckpoint checkpoint = schedule.checkpoint(timer.incidentId(), m.level, round.start(), round.nextSequence(), now, round.lastMetrics());
        context.forward(new Record<>(timer.incidentId(), checkpoint, at.toEpochMilli()));
        m.round = round.next(now);
        if (m.level == Level.GENERAL && !m.majorProcedure) {
            m.growing = checkpoint.trend() == TrackingCheckpoint.Trend.RISING ? m.growing + 1 : 0;
            if (m.growing >= settings.growingCheckpoints()) {
                majorProcedure(m, timer.incidentId(), at, "it kept growing at " + m.growing + " checkpoints in a row");
            } else if (checkpoint.sequence() == schedule.checkpointsPerRound() && checkpoint.trend() == TrackingCheckpoint.Trend.RISING) {
                majorProcedure(m, timer.incidentId(), at, "it has not calmed down within " + ResponsePlan.human(settings.trackingFor())
                        + ": still growing");
            }
        }
        if (schedule.hasCheckpoint(m.round.nextSequence(), m.level, checkpoint.trend())) {
            arm(new Timer(Timer.Kind.CHECKPOINT, timer.incidentId(), round.start(), m.round.nextSequence(), null),
                    schedule.due(round.start(), m.round.nextSequence()));
        }
    }

    /** A GENERAL incident that does not calm down or keeps growing is handled by the MAJOR procedure. */
    private void majorProcedure(IncidentMemory.Builder m, String id, Instant at, String why) {
        m.majorProcedure = true;
        m.log(at, "handled by the major procedure: " + why);
        for (Notification n : plan.majorProcedure(m.about(), Level.MAJOR, at, "the general incident about \"" + m.subject + "\" goes to the major procedure: " + why)) {
            emit(m, n);
        }
        startBulletins(m, id, at);
    }

    private void startBulletins(IncidentMemory.Builder m, String id, Instant at) {
        if (m.bulletins == null) {
            m.bulletins = new IncidentMemory.Round(at, 1, m.metrics != null ? m.metrics : WindowMetrics.ZERO);
            arm(new Timer(Timer.Kind.BULLETIN, id, at, 1, null), at.plus(settings.bulletinEvery()));
        }
    }

    private void bulletin(Timer timer, IncidentMemory.Builder m, Instant at) {
        IncidentMemory.Round b = m.bulletins;
        if (b == null || !b.start().equals(timer.start()) || b.nextSequence() != timer.sequence()) {
            return;
        }
        WindowMetrics now = m.metrics != null ? m.metrics : b.lastMetrics();
        List<Reports.Outcome> open = m.outcomes.stream().filter(o -> o.doneAt() == null).toList();
        String report = reports.bulletin(m.subject, m.level, b.nextSequence(), at, now, now.minus(b.lastMetrics()), open);
        emit(m, plan.notify(m.about(), m.level, Duty.BULLETIN, Duty.BULLETIN.role(), at, null,
                "Bulletin (网络舆情通报) No. " + b.nextSequence() + " on the incident about \"" + m.subject + "\".", report,
                ResponsePlan.uuid(timer.incidentId() + "|bulletin|" + b.start().toEpochMilli() + "|" + b.nextSequence())));
        m.bulletins = b.next(now);
        arm(new Timer(Timer.Kind.BULLETIN, timer.incidentId(), b.start(), m.bulletins.nextSequence(), null), at.plus(settings.bulletinEvery()));
    }

    /** A reminder before a deadline, or the overdue notice to the role above after it; nothing if the duty is done. */
    private void deadline(Timer timer, IncidentMemory.Builder m, Instant at) {
        for (int i = 0; i < m.pending.size(); i++) {
            IncidentMemory.Pending p = m.pending.get(i);
            if (!p.notificationId().equals(timer.notificationId())) {
                continue;
            }
            if (timer.kind() == Timer.Kind.REMINDER) {
                emit(m, plan.notify(m.about(), p.level(), Duty.REMINDER, p.role(), at, p.due(), "Reminder: " + p.duty()
                        + " on the incident about \"" + m.subject + "\" is due in " + ResponsePlan.human(Duration.between(at, p.due())) + ".",
                        null, ResponsePlan.uuid(p.notificationId() + "|reminder")));
            } else {
                Role above = settings.escalationOf(p.role());
                emit(m, plan.notify(m.about(), p.level(), Duty.OVERDUE, above, at, null, "Overdue: " + p.role() + " has not done "
                        + p.duty() + " on the incident about \"" + m.subject + "\", due " + p.due() + ". See that it is done.",
                        null, ResponsePlan.uuid(p.notificationId() + "|overdue")));
                m.pending.set(i, new IncidentMemory.Pending(p.notificationId(), p.duty(), p.role(), p.level(), p.at(), p.due(), true));
                m.log(at, p.duty() + " is overdue; " + above + " told");
            }
            return;
        }
    }

    /** The aftercare ended without a relapse: the review is due, with the incident's timeline and response times. */
    private void aftercareOver(Timer timer, IncidentMemory.Builder m, Instant at) {
        if (m.subsidedAt == null || !m.subsidedAt.equals(timer.start())) {
            return; // it relapsed
        }
        m.subsidedAt = null;
        m.log(at, "aftercare over, no relapse");
        String report = reports.review(timer.incidentId(), m.subject, m.peak, timer.start(), m.timeline, m.outcomes);
        emit(m, plan.notify(m.about(), m.peak, Duty.REVIEW, Duty.REVIEW.role(), at, plan.due(Duty.REVIEW, at),
                "Review (总结评估) the incident about \"" + m.subject + "\" within " + ResponsePlan.human(settings.reviewWithin())
                        + ": its timeline and response times are attached.", report,
                ResponsePlan.uuid(timer.incidentId() + "|review|" + timer.start().toEpochMilli())));
        m.peak = Level.NONE; // a later opening is a new incident for the next review
    }

    /** Sends a notification; one with a deadline becomes a pending duty with a reminder and an overdue timer. */
    private void emit(IncidentMemory.Builder m, Notification n) {
        context.forward(new Record<>(n.incidentId(), n, n.at().toEpochMilli()));
        if (n.due() == null || Duty.of(n.duty()).deadline() == Duty.Deadline.NONE) {
            return;
        }
        if (m.pending.stream().anyMatch(p -> p.notificationId().equals(n.id()))) {
            return; // the same change again: its duty is pending already
        }
        m.pending.add(new IncidentMemory.Pending(n.id(), n.duty(), n.role(), n.level(), n.at(), n.due(), false));
        m.outcomes.add(new Reports.Outcome(n.duty(), n.role(), n.at(), n.due(), null, null));
        Instant remindAt = n.due().minus(settings.remindBefore());
        if (remindAt.isAfter(n.at())) {
            arm(new Timer(Timer.Kind.REMINDER, n.incidentId(), n.at(), 0, n.id()), remindAt);
        }
        arm(new Timer(Timer.Kind.OVERDUE, n.incidentId(), n.at(), 0, n.id()), n.due());
    }

    private void arm(Timer timer, Instant due) {
        timers.put(timer.key(due), timer);
    }

    private IncidentMemory load(String incidentId) {
        IncidentMemory memory = incidents.get(incidentId);
        return withReported(memory != null ? memory : IncidentMemory.fresh(incidentId));
    }

    /** The memory with the latest metrics the classifier reported, where they are newer than its own; null stays null. */
    private IncidentMemory withReported(IncidentMemory memory) {
        ReportedMetrics latest = memory == null ? null : reported.get(memory.incidentId());
        return latest == null ? memory : latest.appliedTo(memory);
    }
}
