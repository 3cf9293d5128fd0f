package org.opinionwatch.classifier.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.incident.Decision;
import org.opinionwatch.classifier.incident.IncidentMachine;
import org.opinionwatch.classifier.incident.IncidentRecord;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;
import org.opinionwatch.classifier.incident.Step;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.classifier.watermark.UpstreamPromises;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.runtime.state.CommitHook;
import org.opinionwatch.runtime.state.Mirrored;
import org.opinionwatch.runtime.state.RecentlyUsed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each incident's state machine ({@link IncidentMachine}) in the topology: loads the incident, applies the
 * record or fires its check, saves what the step left and forwards its decisions.
 *
 * <p>Inputs wait in an {@link OrderedBuffer} until the watermark, the lowest of every router's promise
 * ({@link StoryRouter}), has passed them, and then go in event-time order; before each, every incident check due
 * earlier fires, at its own instant ({@link DueChecks}). So an incident never runs past an increment still on its way
 * through the loops (a story that joins it, a post moved from another partition's task), and what this task writes
 * to each partition is in event-time order. An input older than the watermark when it comes (a post observed out of
 * order within its partition) is applied at once, against its incident's own clock.
 */
final class IncidentProcessor implements Processor<String, Routed, String, IncidentUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);
    /** Incidents kept as objects per task: the active ones of a busy day, a few megabytes. */
    private static final int RECENT_INCIDENTS = 10_000;

    private final OpinionWatchConfig.Classifier configured;
    private final ClassifierMetrics metrics;
    private final int routers;
    private ProcessorContext<String, IncidentUpdate> context;
    private IncidentMachine machine;
    private RecentlyUsed<IncidentRecord> incidents;
    /** Every increment's entry, for both windows: the recent window is never longer than the level's window. */
    private StoreEntryLog entries;
    private final DueChecks checks = new DueChecks();
    /**
     * Stories that joined another incident: their root post id → that incident. Held whole in memory: it is looked up
     * for every increment (a RocksDB read each time, nearly always of nothing; its commit has the figures), and joins are rare.
     */
    private Mirrored<JoinedStory> joined;
    private OrderedBuffer waiting;
    private UpstreamPromises promises;
    private String task;
    /** How far this task has told the timeline it has decided: every decision before it is written. */
    private long reached;

    /** @param routers how many routers promise: one per partition of the handover topic */
    IncidentProcessor(OpinionWatchConfig.Classifier configured, ClassifierMetrics metrics, int routers) {
        this.configured = configured;
        this.metrics = metrics;
        this.routers = routers;
    }

    @Override
    public void init(ProcessorContext<String, IncidentUpdate> context) {
        this.context = context;
        KeyValueStore<String, IncidentRecord> incidentStore = context.getStateStore(ClassifierTopology.INCIDENT_STORE);
        this.incidents = RecentlyUsed.deferred(incidentStore, RECENT_INCIDENTS);
        this.entries = new StoreEntryLog(context.getStateStore(ClassifierTopology.WINDOW_ENTRY_STORE), RECENT_INCIDENTS);
        this.joined = new Mirrored<>(context.getStateStore(ClassifierTopology.JOINED_STORE));
        this.waiting = new OrderedBuffer(context.getStateStore(ClassifierTopology.WAITING_STORE));
        context.<CommitHook>getStateStore(ClassifierTopology.INCIDENT_COMMIT).beforeCommit(() -> {
            incidents.writeAll();
            entries.writeAll();
            waiting.writeAll();
        });
        this.promises = new UpstreamPromises(context.getStateStore(ClassifierTopology.PROMISE_STORE), Promise.Source.ROUTER, routers);
        this.machine = new IncidentMachine(configured, new CurrentRules(configured, context.getStateStore(RulesStore.NAME))::get);
        this.task = context.taskId().toString();
        checks.clear(); // initialised again after an aborted transaction: only what the store holds
        reached = Long.MIN_VALUE;
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
    public void process(Record<String, Routed> record) {
        Increment inc = record.value().increment();
        if (inc.promise() != null) {
            if (promises.promised(inc.promise().task(), inc.at().toEpochMilli())) {
                release(promises.lowest());
            }
        } else if (inc.isStoryDecision()) {
            joinedAnother(inc);
        } else if (inc.orderAt().toEpochMilli() < promises.lowest()) {
            // Never an increment awaiting its story's word: it is later than the story, which the watermark has not passed.
            apply(inc, Routed.intakeMillis(record.headers()));
        } else {
            waiting.hold(new OrderedBuffer.Held(inc, Routed.intakeMillis(record.headers()), record.value().awaitingWord()));
        }
    }

    /**
     * The grouper's word that this incident's story joins another, from the router as it comes, before the router
     * promises anyone past the word: what the incident counted before its original post was seen (all of it older than
     * the word) goes over now, in its place at the join; the story's increments that came awaiting the word go over
     * each at its own instant, as the router sends those it held.
     */
    private void joinedAnother(Increment word) {
        List<OrderedBuffer.Held> held = waiting.takeAllOf(word.incidentId());
        held.stream().filter(h -> !h.awaitingWord()).forEach(h -> apply(h.increment(), h.intakeMillis()));
        apply(word, 0);
        for (OrderedBuffer.Held h : held) {
            if (h.awaitingWord()) {
                Increment handed = h.increment().handedTo(word.joins(), 0, false, List.of(), List.of());
                context.forward(new Record<>(handed.incidentId(), IncidentUpdate.handover(handed), handed.at().toEpochMilli(),
                        Routed.intake(h.intakeMillis())));
            }
        }
    }

    /**
     * Everything the watermark has passed, in event-time order, each after the checks due before it; then the checks;
     * then the word that the task has decided everything before the watermark.
     */
    private void release(long watermark) {
        List<OrderedBuffer.Held> next;
        while ((next = waiting.takeBefore(watermark)) != null) {
            fireChecksBefore(next.get(0).increment().orderAt().toEpochMilli());
            next.forEach(h -> apply(h.increment(), h.intakeMillis()));
        }
        fireChecksBefore(watermark);
        if (watermark > reached) {
            reached = watermark;
            context.forward(new Record<>(null, IncidentUpdate.reached(Instant.ofEpochMilli(watermark), context.taskId().partition()), watermark));
        }
    }

    private void apply(Increment inc, long intakeMillis) {
        IncidentMachine.Loaded incident = load(inc.incidentId());
        save(incident, machine.apply(incident, inc), intakeMillis);
    }

    /** Every incident check due before {@code before} fires, earliest first, at its own instant. */
    private void fireChecksBefore(long before) {
        DueChecks.Due due;
        while ((due = checks.takeBefore(before)) != null) {
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
