package org.opinionwatch.escalation.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.escalation.plan.ResponsePlan;
import org.opinionwatch.escalation.plan.TrackingSchedule;

/**
 * The escalation stage's one processor. It reads severity changes, incident states and heartbeats (one task sees
 * the same partition of all three topics), and writes notifications and tracking checkpoints.
 *
 * <p>Time is event time only. A checkpoint fires once stream time has passed it: by the stream-time punctuator,
 * or, for an incident's own checkpoints, just before an event of that incident that is later than them is applied,
 * so that every checkpoint sees the metrics as last reported at or before its instant. Wall-clock time is never
 * read, so a replay gives what the live run gave.
 */
final class PlanProcessor implements Processor<String, Object, String, Object> {
    /** How often stream time is checked for due checkpoints; a checkpoint fires at most this late in event time. */
    static final Duration PUNCTUATE_EVERY = Duration.ofMinutes(1);

    private final ResponsePlan plan;
    private final TrackingSchedule schedule;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, IncidentMemory> incidents;
    private KeyValueStore<String, Timer> timers;
    /**
     * Timers before this instant have fired: the scan for due timers starts here rather than at the store's
     * beginning, where the deleted timers of the past lie and would be walked over on every punctuation. In memory
     * only: after a restart the first scan starts at the beginning once.
     */
    private long firedUpTo = Long.MIN_VALUE;

    PlanProcessor(ResponsePlan plan, TrackingSchedule schedule) {
        this.plan = plan;
        this.schedule = schedule;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.incidents = context.getStateStore(EscalationTopology.INCIDENT_STORE);
        this.timers = context.getStateStore(EscalationTopology.TIMER_STORE);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        if (value instanceof SeverityChange change) {
            onLevelChange(change);
        } else if (value instanceof IncidentState state) {
            onIncidentState(state);
        }
        // A Heartbeat has done its work already: its timestamp advanced stream time, the punctuator does the rest.
        // A tombstone (null) on the compacted incidents topic carries nothing to act on.
    }

    private void onLevelChange(SeverityChange change) {
        String id = change.incidentId();
        IncidentMemory memory = fireDueCheckpoints(load(id), change.at());
        for (Notification notification : plan.onLevelChange(change)) {
            forward(EscalationTopology.NOTIFICATIONS_SINK, id, notification, notification.at());
        }
        memory = memory.withLevel(change.to()).withMetrics(change.metrics(), change.at());
        if (schedule.startsRound(change) && !sameRound(memory, change.at())) {
            cancelTimer(memory);
            WindowMetrics atChange = change.metrics() != null ? change.metrics() : latestOrZero(memory);
            memory = memory.withRound(new IncidentMemory.Round(change.at(), 1, atChange));
            armTimer(memory);
        }
        incidents.put(id, memory);
    }

    private void onIncidentState(IncidentState state) {
        String id = state.incidentId();
        IncidentMemory memory = fireDueCheckpoints(load(id), state.updatedAt());
        incidents.put(id, memory.withMetrics(state.metrics(), state.updatedAt()));
    }

    /** Stream-time punctuator: fires every checkpoint due before stream time, earliest first. */
    private void fireDue(long streamTime) {
        KeyValue<String, Timer> timer;
        while ((timer = earliestTimerBefore(streamTime)) != null) {
            firedUpTo = Math.max(firedUpTo, Long.parseLong(timer.key.substring(0, timer.key.indexOf('|'))));
            IncidentMemory memory = incidents.get(timer.value.incidentId());
            if (memory == null || !timer.value.belongsTo(memory.round())) {
                timers.delete(timer.key); // cannot happen while the stores agree; never loop on it
                continue;
            }
            incidents.put(memory.incidentId(), fire(memory));
        }
    }

    private KeyValue<String, Timer> earliestTimerBefore(long streamTime) {
        String from = firedUpTo == Long.MIN_VALUE ? null : Timer.upperBound(firedUpTo);
        try (KeyValueIterator<String, Timer> due = timers.range(from, Timer.upperBound(streamTime))) {
            return due.hasNext() ? due.next() : null;
        }
    }

    /** Fires this incident's checkpoints that are due before {@code before}; returns the memory after them. */
    private IncidentMemory fireDueCheckpoints(IncidentMemory memory, Instant before) {
        Instant due;
        while ((due = nextDue(memory)) != null && due.isBefore(before)) {
            memory = fire(memory);
        }
        return memory;
    }

    /** Emits the next checkpoint of the incident's round and arms the one after it, if the round has one. */
    private IncidentMemory fire(IncidentMemory memory) {
        IncidentMemory.Round round = memory.round();
        WindowMetrics now = memory.metrics() != null ? memory.metrics() : round.lastMetrics();
        TrackingCheckpoint checkpoint = schedule.checkpoint(memory.incidentId(), memory.level(), round.start(),
                round.nextSequence(), now, round.lastMetrics());
        forward(EscalationTopology.TRACKING_SINK, memory.incidentId(), checkpoint, checkpoint.at());
        cancelTimer(memory);
        IncidentMemory after = memory.withRound(round.next(now));
        armTimer(after);
        return after;
    }

    private Instant nextDue(IncidentMemory memory) {
        IncidentMemory.Round round = memory.round();
        if (round == null || !schedule.hasCheckpoint(round.nextSequence())) {
            return null;
        }
        return schedule.due(round.start(), round.nextSequence());
    }

    private void armTimer(IncidentMemory memory) {
        Instant due = nextDue(memory);
        if (due != null) {
            IncidentMemory.Round round = memory.round();
            timers.put(Timer.key(due, memory.incidentId()), new Timer(memory.incidentId(), round.start(), round.nextSequence()));
            firedUpTo = Math.min(firedUpTo, due.toEpochMilli()); // a late change can arm a timer in the past
        }
    }

    private void cancelTimer(IncidentMemory memory) {
        Instant due = nextDue(memory);
        if (due != null) {
            timers.delete(Timer.key(due, memory.incidentId()));
        }
    }

    private IncidentMemory load(String incidentId) {
        IncidentMemory memory = incidents.get(incidentId);
        return memory != null ? memory : IncidentMemory.fresh(incidentId);
    }

    /** A repeated change (same instant) keeps its round instead of starting it again. */
    private static boolean sameRound(IncidentMemory memory, Instant start) {
        return memory.round() != null && memory.round().start().equals(start);
    }

    private static WindowMetrics latestOrZero(IncidentMemory memory) {
        return memory.metrics() != null ? memory.metrics() : WindowMetrics.ZERO;
    }

    /** Output keyed by incident id, with the event's own time as the record timestamp. */
    private void forward(String sink, String incidentId, Object event, Instant at) {
        context.forward(new Record<>(incidentId, event, at.toEpochMilli()), sink);
    }
}
