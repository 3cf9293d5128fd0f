package org.opinionwatch.classifier.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.incident.Decision;
import org.opinionwatch.classifier.incident.IncidentMachine;
import org.opinionwatch.classifier.incident.IncidentRecord;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Step;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.runtime.state.Mirrored;
import org.opinionwatch.runtime.state.RecentlyUsed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each incident's state machine ({@link IncidentMachine}) in the topology: loads the incident, applies the
 * record or fires its check, saves what the step left and forwards its decisions. Each incident's next check is
 * also kept here by instant ({@link DueChecks}), so that checks fire in event time, at their exact instants, once
 * stream time (records and clock heartbeats) has passed them.
 */
final class IncidentProcessor implements Processor<String, Increment, String, IncidentUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);
    /** How often stream time is looked at for due checks; the checks themselves fire at their exact instants. */
    private static final Duration PUNCTUATE_EVERY = Duration.ofMinutes(1);
    /** Incidents kept as objects per task: the active ones of a busy day, a few megabytes. */
    private static final int RECENT_INCIDENTS = 10_000;

    private final OpinionWatchConfig.Classifier configured;
    private final ClassifierMetrics metrics;
    private ProcessorContext<String, IncidentUpdate> context;
    private IncidentMachine machine;
    private RecentlyUsed<IncidentRecord> incidents;
    /** Every increment's entry, for both windows: the recent window is never longer than the level's window. */
    private StoreEntryLog entries;
    private final DueChecks checks = new DueChecks();
    /**
     * Stories that joined another incident: their root post id → that incident. Held whole in memory: it is looked up
     * for every increment (a RocksDB read each time, nearly always of nothing: BENCHMARKS.md), and joins are rare.
     */
    private Mirrored<JoinedStory> joined;
    private String task;

    IncidentProcessor(OpinionWatchConfig.Classifier configured, ClassifierMetrics metrics) {
        this.configured = configured;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IncidentUpdate> context) {
        this.context = context;
        KeyValueStore<String, IncidentRecord> incidentStore = context.getStateStore(ClassifierTopology.INCIDENT_STORE);
        this.incidents = new RecentlyUsed<>(incidentStore, RECENT_INCIDENTS);
        this.entries = new StoreEntryLog(context.getStateStore(ClassifierTopology.WINDOW_ENTRY_STORE), RECENT_INCIDENTS);
        this.joined = new Mirrored<>(context.getStateStore(ClassifierTopology.JOINED_STORE));
        this.machine = new IncidentMachine(configured, new CurrentRules(configured, context.getStateStore(RulesStore.NAME))::get);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::fireChecksBefore);
        this.task = context.taskId().toString();
        metrics.open.reset(task);
        try (KeyValueIterator<String, IncidentRecord> all = incidentStore.all()) {
            all.forEachRemaining(kv -> {
                metrics.open.add(task, kv.value.shown(), 1);
                if (kv.value.nextCheck() != null) {
                    checks.add(kv.value.nextCheck(), kv.key);
                }
            });
        }
    }

    @Override
    public void close() {
        metrics.open.remove(task);
    }

    @Override
    public void process(Record<String, Increment> record) {
        if (record.value() == null) {
            return; // a heartbeat: it advanced stream time, the punctuator does the rest
        }
        Header intake = record.headers().lastHeader(Post.INTAKE_HEADER);
        long intakeMillis = intake == null ? 0 : parseMillis(intake.value());
        String id = record.key();
        IncidentMachine.Loaded incident = load(id);
        save(incident, machine.apply(incident, record.value()), intakeMillis);
    }

    private static long parseMillis(byte[] header) {
        try {
            return Long.parseLong(new String(header, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0; // not ours to judge: the post itself was valid; only its latency goes unmeasured
        }
    }

    /** Punctuator: every incident check due before stream time fires, earliest first, at its own instant. */
    private void fireChecksBefore(long streamTime) {
        DueChecks.Due due;
        while ((due = checks.takeBefore(streamTime)) != null) {
            IncidentMachine.Loaded incident = load(due.incidentId());
            save(incident, machine.check(incident, Instant.ofEpochMilli(due.at())), 0);
        }
    }

    private IncidentMachine.Loaded load(String id) {
        JoinedStory story = joined.get(id);
        String joinedTo = story == null ? null : story.incidentId();
        // A story that joined another incident has no state of its own left: nothing to read.
        return new IncidentMachine.Loaded(id, joinedTo == null ? incidents.get(id) : null, () -> entries.of(id), joinedTo);
    }

    /**
     * Keeps what the step left (the incident, its next check, the join) and forwards its decisions.
     *
     * @param intakeMillis the wall-clock time ingest took in the post that caused the step, else 0: a rise it caused
     *     is timed from there
     */
    private void save(IncidentMachine.Loaded before, Step step, long intakeMillis) {
        String id = before.id();
        IncidentRecord was = before.record();
        IncidentRecord now = step.after();
        if (step.joinedTo() != null && before.joinedTo() == null) {
            joined.put(id, new JoinedStory(step.joinedTo()));
        }
        if (now != was) {
            if (was != null && was.nextCheck() != null) {
                checks.remove(was.nextCheck(), id);
            }
            if (now == null) {
                incidents.delete(id);
            } else {
                incidents.put(id, now);
                if (now.nextCheck() != null) {
                    checks.add(now.nextCheck(), id);
                }
            }
        }
        Decision.Handler forwarder = new Forwarder(intakeMillis);
        step.decisions().forEach(d -> d.handTo(forwarder));
    }

    /** Sends decisions on: updates to the incident's sinks, handovers back to the topology; the rest is logged. */
    private final class Forwarder implements Decision.Handler {
        private final long intakeMillis;

        Forwarder(long intakeMillis) {
            this.intakeMillis = intakeMillis;
        }

        @Override
        public void update(Decision.Update u) {
            SeverityChange change = u.change();
            if (change != null) {
                metrics.open.add(task, change.from(), -1);
                metrics.open.add(task, change.to(), 1);
                metrics.changed(change);
                if (intakeMillis > 0 && change.to().isAbove(change.from())) {
                    metrics.latency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - intakeMillis)));
                }
            }
            context.forward(new Record<>(u.incidentId(), new IncidentUpdate(u.state(), change, u.forecast()), u.at().toEpochMilli()));
        }

        @Override
        public void handover(Increment increment) {
            context.forward(new Record<>(increment.incidentId(), IncidentUpdate.handover(increment), increment.at().toEpochMilli()));
        }

        @Override
        public void notCounted(Decision.NotCounted n) {
            metrics.late();
            LOG.warn("incident {}: increment at {} is older than the window ending {}; its engagement is not counted",
                    n.incidentId(), n.at(), n.windowEnd());
        }

        @Override
        public void notJudged(Decision.NotJudged n) {
            LOG.warn("incident {}: {}; nothing to judge", n.incidentId(), n.why());
        }
    }
}
