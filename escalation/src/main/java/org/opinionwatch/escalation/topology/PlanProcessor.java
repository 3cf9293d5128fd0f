package org.opinionwatch.escalation.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.CasePlan;
import org.opinionwatch.escalation.plan.Output;
import org.opinionwatch.escalation.plan.SetSilence;
import org.opinionwatch.escalation.plan.Silences;
import org.opinionwatch.escalation.plan.Step;
import org.opinionwatch.escalation.plan.Timer;
import org.opinionwatch.runtime.state.Mirrored;
import org.opinionwatch.runtime.state.CommitHook;
import org.opinionwatch.runtime.state.RecentlyUsed;

/**
 * The escalation stage's plan processor: it keeps the cases, with their pending timers, in a store and hands each
 * input to the plan ({@link CasePlan}), forwarding what the plan gives out. One task sees the same partition of every
 * input topic.
 *
 * <p>Time is event time only, the classifier's: its timeline brings each partition's decisions in event-time order with
 * how far it has decided. Everything due fires once that has passed it, before the classifier's next decision or
 * progress is applied. People's actions are applied as they come, at their own instant, without moving that clock
 * (they may be ahead of it); a silence holds from the instant it was set. Wall-clock time is never read, so a replay
 * gives what the live run gave.
 */
final class PlanProcessor implements Processor<String, PlanInput, String, Output>, PlanInput.Handler {
    /** A few thousand cases: the incidents of a busy day and their timers, some megabytes. */
    private static final int RECENT_INCIDENTS = 5_000;

    private final CasePlan plan;
    private final EscalationMetrics metrics;
    private ProcessorContext<String, Output> context;
    /** Cases as objects, the recent ones: every timer that fires reads its incident's. */
    private RecentlyUsed<Case> cases;
    /** The latest metrics reported of each incident, the recent ones as objects: read for every state and every timer. */
    private RecentlyUsed<ReportedMetrics> reported;
    /**
     * Every case's pending timers by {@link Timer#key}, so in due order: due timers are looked for before every event.
     * The cases hold them (and so their changelog); this index is made from the cases at start.
     */
    private final NavigableMap<String, Timer> timers = new TreeMap<>();
    /** The silences people set, held whole in memory: every notification is checked against them, and they are few. */
    private Mirrored<SetSilence> silences;
    /**
     * The incidents whose case holds a checkpoint or forecast for the desk, by the daily report it is for: each goes to
     * the desk before the heartbeat that lets the desk write that report. Made again from the cases at every start.
     */
    private final NavigableMap<Instant, Set<String>> unreported = new TreeMap<>();

    PlanProcessor(OpinionWatchConfig config, EscalationMetrics metrics) {
        this.plan = new CasePlan(config);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        KeyValueStore<String, Case> caseStore = context.getStateStore(EscalationTopology.INCIDENT_STORE);
        this.cases = RecentlyUsed.deferred(caseStore, RECENT_INCIDENTS);
        this.reported = RecentlyUsed.deferred(context.getStateStore(EscalationTopology.METRICS_STORE), RECENT_INCIDENTS);
        String task = context.taskId().toString();
        context.<CommitHook>getStateStore(EscalationTopology.CASES_COMMIT).beforeCommit(() -> {
            cases.writeAll();
            reported.writeAll();
            metrics.board.publish(task);
        });
        this.silences = new Mirrored<>(context.getStateStore(EscalationTopology.SILENCE_STORE));
        metrics.reset(task);
        try (KeyValueIterator<String, Case> all = caseStore.all()) {
            all.forEachRemaining(kv -> {
                metrics.deadlines(task, kv.value, 1);
                metrics.board.show(task, withReported(kv.value));
                noteHeld(kv.value);
                kv.value.timers().forEach(t -> timers.put(t.key(), t));
            });
        }
        takeEarlierTimers(context.getStateStore(EscalationTopology.TIMER_STORE));
        silences.values().forEach(s -> metrics.board.silenced(task, s.silence()));
    }

    /**
     * Moves the timers an earlier release kept in a store of their own into their cases (written at the first commit,
     * with the store's deletes, so a crash before it takes them again). A timer whose case is gone would fire nothing.
     */
    private void takeEarlierTimers(KeyValueStore<String, Timer> earlier) {
        List<String> taken = new ArrayList<>();
        try (KeyValueIterator<String, Timer> all = earlier.all()) {
            all.forEachRemaining(kv -> {
                Case c = cases.get(kv.value.incidentId());
                if (c != null) {
                    cases.put(c.incidentId(), c.withTimer(kv.value));
                    timers.put(kv.value.key(), kv.value);
                }
                taken.add(kv.key);
            });
        }
        taken.forEach(earlier::delete);
    }

    @Override
    public void close() {
        metrics.forget(context.taskId().toString());
    }

    @Override
    public void process(Record<String, PlanInput> record) {
        // What was due before the classifier's next decision or progress happened first, so a checkpoint sees the
        // metrics as they were then. People's actions may come ahead of the classifier's clock: they do not move it.
        if (record.value().movesClock()) {
            fireDue(record.timestamp() - 1);
        }
        record.value().applyTo(this);
    }

    @Override
    public void levelChanged(SeverityChange change) {
        apply(plan.levelChanged(load(change.incidentId()), change, silences(change.at())));
    }

    @Override
    public void forecast(ForecastWarning forecast) {
        apply(plan.forecast(load(forecast.incidentId()), forecast, silences(forecast.at())));
    }

    @Override
    public void stateReported(IncidentState state) {
        ReportedMetrics last = reported.get(state.incidentId());
        if (state.metrics() != null && (last == null || !state.updatedAt().isBefore(last.at()))) { // never an older report over a newer
            reported.put(state.incidentId(), new ReportedMetrics(state.metrics(), state.updatedAt()));
            metrics.board.counts(context.taskId().toString(), state.incidentId(), state.metrics());
        }
    }

    /** An action about an incident goes to its case; a silence, or its removal, is the stage's (every task has them all). */
    @Override
    public void acted(Action action) {
        String task = context.taskId().toString();
        switch (action.kind()) {
            case SILENCE -> {
                silences.put(action.silence().id(), new SetSilence(action.silence(), action.at()));
                metrics.board.silenced(task, action.silence());
            }
            case UNSILENCE -> {
                silences.remove(action.silence().id());
                metrics.board.unsilenced(task, action.silence().id());
            }
            default -> apply(plan.acted(load(action.incidentId()), action, silences(action.at())));
        }
    }

    @Override
    public void tick(Instant reached) {
        silences(reached); // the expired ones leave the duty board on time, quiet or not
        NavigableMap<Instant, Set<String>> due = unreported.headMap(reached, true);
        List<String> incidents = due.values().stream().flatMap(Set::stream).toList();
        due.clear();
        incidents.forEach(id -> apply(plan.reportDue(load(id))));
        context.forward(new Record<>(DayEvent.KEY, Output.DeskEntry.reached(reached), reached.toEpochMilli()));
    }

    /** The silences in force at {@code at}; the expired ones leave the store. */
    private Silences silences(Instant at) {
        if (silences.values().isEmpty()) {
            return Silences.NONE;
        }
        List<SetSilence> active = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (SetSilence s : silences.values()) {
            if (s.silence().until().isAfter(at)) {
                active.add(s);
            } else {
                expired.add(s.silence().id());
            }
        }
        String task = context.taskId().toString();
        expired.forEach(id -> {
            silences.remove(id);
            metrics.board.unsilenced(task, id);
        });
        return Silences.of(active);
    }

    /** Before each decision or progress of the classifier: fires every timer due at or before {@code upTo}, earliest first. */
    private void fireDue(long upTo) {
        Map.Entry<String, Timer> due;
        // Keys sort by due time, so the first timer is the earliest.
        while ((due = timers.firstEntry()) != null && due.getValue().due().toEpochMilli() <= upTo) {
            timers.remove(due.getKey());
            Timer timer = due.getValue();
            Case c = withReported(cases.get(timer.incidentId()));
            if (c != null) {
                apply(plan.fired(c, timer, silences(timer.due())));
            }
        }
    }

    /**
     * Saves the case (its deadlines move the gauges, the duty board shows it at the commit), arms the step's timers,
     * forwards what it gives out.
     */
    private void apply(Step step) {
        Case after = step.after();
        String task = context.taskId().toString();
        Case before = cases.get(after.incidentId());
        metrics.deadlines(task, before, -1);
        metrics.deadlines(task, after, 1);
        metrics.board.stage(task, after);
        if (before == null || before.unreported() != after.unreported()) {
            forgetHeld(before);
            noteHeld(after);
        }
        cases.put(after.incidentId(), after);
        step.timers().forEach(t -> timers.put(t.key(), t));
        for (Output o : step.outputs()) {
            String key = o.incidentId() != null ? o.incidentId() : DayEvent.KEY;
            context.forward(new Record<>(key, o, o.at().toEpochMilli()));
        }
    }

    /** Notes the case among those holding an entry for the desk, under the report it is for; a case holding none is not. */
    private void noteHeld(Case c) {
        Instant due = plan.unreportedDue(c);
        if (due != null) {
            unreported.computeIfAbsent(due, d -> new TreeSet<>()).add(c.incidentId());
        }
    }

    /** Takes the case from those holding an entry for the desk. */
    private void forgetHeld(Case c) {
        Instant due = c == null ? null : plan.unreportedDue(c);
        Set<String> ids = due == null ? null : unreported.get(due);
        if (ids != null && ids.remove(c.incidentId()) && ids.isEmpty()) {
            unreported.remove(due);
        }
    }

    private Case load(String incidentId) {
        Case c = cases.get(incidentId);
        return withReported(c != null ? c : Case.fresh(incidentId));
    }

    /** The case with the latest metrics the classifier reported, where they are newer than its own; null stays null. */
    private Case withReported(Case c) {
        ReportedMetrics latest = c == null ? null : reported.get(c.incidentId());
        return latest == null ? c : c.withMetrics(latest.metrics(), latest.at());
    }
}
