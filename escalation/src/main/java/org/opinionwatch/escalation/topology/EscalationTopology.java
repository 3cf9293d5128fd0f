package org.opinionwatch.escalation.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.CaseFormat;
import org.opinionwatch.escalation.plan.Output;
import org.opinionwatch.escalation.plan.SetSilence;
import org.opinionwatch.escalation.plan.Timer;
import org.opinionwatch.runtime.state.CommitHook;

/**
 * The escalation stage as a Kafka Streams topology:
 *
 * <pre>
 *   classifier.timeline ──┐                              ┌──► notifications
 *   actions ──────────────┼──► plan (PlanProcessor) ─────┼──► tracking
 *                         │    per incident              ├──► actions (the simulated office's, in replays)
 *                         │                              └──► desk entries ─► one partition ─► desk: digests and
 *                                                                                             daily report ─► notifications
 * </pre>
 *
 * The classifier's timeline brings, per partition and in event-time order, its decisions (incident states, level
 * changes, forecasts) and how far it has decided, which is the stage's clock: the stage runs beside the classifier and
 * never ahead of it. Both input topics have {@code kafka.partitions} partitions: a task reads partition p of each,
 * and the daily report waits for that many tasks to have reached its time.
 */
public final class EscalationTopology {
    /**
     * Per incident, its case: level, metrics, tracking round, duties, timeline, pending timers, as compact bytes
     * ({@code escalation-case/3}, {@link CaseFormat}; reads the JSON of {@code /2} and {@code /1}, whose timers were
     * kept apart in {@link #TIMER_STORE}). Every store's values name their format; a release that changes one bumps
     * its version and reads the previous one ({@link JsonSerde#reading}), and keeps the store's name, so that open
     * cases, deadlines and silences survive an upgrade (docs/architecture.md, "Formats and upgrades").
     */
    public static final String INCIDENT_STORE = "escalation-cases";
    /** When the task commits: the cases and the reported metrics are written to their stores then ({@link CommitHook}). */
    static final String CASES_COMMIT = "escalation-cases-at-commit";
    public static final String METRICS_STORE = "escalation-metrics";
    /**
     * The pending timers as earlier releases kept them, apart from their cases, keyed by due time
     * ({@code escalation-timer/3}): the stage moves them into their cases when it starts, so that it is empty after
     * the first start of a release that keeps them in the cases. Kept while a deployment may start on such a store.
     */
    public static final String TIMER_STORE = "escalation-case-timers";
    /** The desk's: the incidents of the daily report since the last one, and what quiet hours hold for the digests. */
    public static final String DAILY_STORE = "escalation-desk";
    /** The silences people set, by id, with when they were set ({@code escalation-silence/2}); every task holds all of them. */
    public static final String SILENCE_STORE = "escalation-silences";

    private static final String DAY_EVENTS = "desk-entries";

    /**
     * A case as JSON: as a replay's output shows it, and as earlier releases stored it. Reads escalation-case/1 too, a
     * case without its timers: the stage takes them from {@link #TIMER_STORE}.
     */
    public static final JsonSerde<Case> CASE_JSON = new JsonSerde<>(Case.class, "escalation-case/2").reading("escalation-case/1", UnaryOperator.identity());
    /** A case as the store keeps it: compact bytes, as every commit writes each case it changed (BENCHMARKS.md). */
    public static final CompactSerde<Case> CASE = new CompactSerde<>("escalation-case/3", CaseFormat.INSTANCE, CASE_JSON);
    public static final JsonSerde<Timer> TIMER = new JsonSerde<>(Timer.class, "escalation-timer/3");
    /** Reads escalation-silence/1 too, a bare silence: it holds from whenever it was set. */
    public static final JsonSerde<SetSilence> SILENCE = new JsonSerde<>(SetSilence.class, SetSilence.SCHEMA)
            .reading("escalation-silence/1", v1 -> {
                ObjectNode v2 = Json.TOLERANT.createObjectNode();
                v1.remove("schema");
                v2.set("silence", v1);
                v2.putNull("from");
                return v2;
            });

    private EscalationTopology() {
    }

    /** The changelog topic of one of the stage's stores: where a process away from the stage reads its state. */
    public static String changelog(OpinionWatchConfig config, String store) {
        return config.escalation().applicationId() + "-" + store + "-changelog";
    }

    /** Every topic the stage reads, its own repartition topic too: it has caught up when its lag on these is zero. */
    public static java.util.List<String> readTopics(OpinionWatchConfig config) {
        Topics t = config.topicNames();
        return java.util.List.of(t.timeline().name(), t.actions().name(), config.escalation().applicationId() + "-" + DAY_EVENTS + "-repartition");
    }

    /** @param registry where the stage's meters go ({@link EscalationMetrics}) */
    public static Topology build(OpinionWatchConfig config, MeterRegistry registry) {
        Topics topics = config.topicNames();
        OpinionWatchConfig.Escalation settings = config.escalation();
        EscalationMetrics metrics = new EscalationMetrics(registry);
        StreamsBuilder builder = new StreamsBuilder();
        // Persistent and changelogged (the builders' default), so rounds, deadlines and pending timers survive a restart.
        // The timers are in their cases; the timer store only hands the cases of earlier releases theirs at start.
        // An incident's case is saved at each of its timers and its metrics are reported with every post counted: both
        // are held as objects and written once per commit (RecentlyUsed.deferred, at CASES_COMMIT), so no record cache.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INCIDENT_STORE), Serdes.String(), CASE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(METRICS_STORE), Serdes.String(), ReportedMetrics.SERDE));
        builder.addStateStore(CommitHook.builder(CASES_COMMIT));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMER_STORE), Serdes.String(), TIMER));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DAILY_STORE), Serdes.String(), DayEvent.SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SILENCE_STORE), Serdes.String(), SILENCE));

        KStream<String, PlanInput> in = source(builder, topics.timeline(), TimelineEntry::at, PlanInput::of)
                .merge(source(builder, topics.actions(), Action::at, PlanInput.Taken::new), Named.as("and-actions"));
        KStream<String, Output> out = in.process(() -> new PlanProcessor(config, metrics), Named.as("plan"),
                INCIDENT_STORE, METRICS_STORE, CASES_COMMIT, TIMER_STORE, SILENCE_STORE);

        var byChannel = out.split(Named.as("plan-"))
                .branch((id, o) -> o.channel() == Output.Channel.NOTIFICATIONS, Branched.as("notification"))
                .branch((id, o) -> o.channel() == Output.Channel.TRACKING, Branched.as("checkpoint"))
                .branch((id, o) -> o.channel() == Output.Channel.ACTIONS, Branched.as("action"))
                .defaultBranch(Branched.as("desk"));
        // Each branch holds the one output type of its channel.
        byChannel.get("plan-notification").mapValues(o -> ((Output.Notify) o).notification(), Named.as("notification"))
                .peek((id, n) -> metrics.notified(n), Named.as("count-notification"))
                .to(topics.notifications().name(), produced(topics.notifications(), "notifications-out"));
        byChannel.get("plan-checkpoint").mapValues(o -> ((Output.Track) o).checkpoint(), Named.as("checkpoint"))
                .to(topics.tracking().name(), produced(topics.tracking(), "tracking-out"));
        // The simulated office's actions are recorded like people's (the plan applied them already: read back, they count once).
        byChannel.get("plan-action").mapValues(o -> ((Output.Act) o).action(), Named.as("action"))
                .to(topics.actions().name(), produced(topics.actions(), "actions-out"));
        // Digests and the daily report cover every incident, so they are made in one task: one partition.
        byChannel.get("plan-desk").mapValues(o -> (Output.DeskEntry) o, Named.as("desk-entry"))
                .processValues(DeskEntries::new, Named.as("day-event"))
                .selectKey((id, e) -> DayEvent.KEY, Named.as("key-day-event"))
                .repartition(Repartitioned.<String, DayEvent>as(DAY_EVENTS).withKeySerde(Serdes.String())
                        .withValueSerde(DayEvent.SERDE).withNumberOfPartitions(1))
                .process(() -> new DeskProcessor(settings, config.kafka().partitions()), Named.as("desk"), DAILY_STORE)
                .peek((id, n) -> metrics.notified(n), Named.as("count-desk-notification"))
                .to(topics.notifications().name(), produced(topics.notifications(), "desk-out"));
        return builder.build();
    }

    /**
     * A source of one topic as the plan's input type, with the event's own time as record time (so stream time is
     * event time whatever timestamp a producer set). A record without a value carries nothing to act on and is
     * dropped here.
     */
    private static <V> KStream<String, PlanInput> source(StreamsBuilder builder, Topic<String, V> topic, Function<V, Instant> time,
                                                        Function<V, PlanInput> input) {
        String name = topic.name().replace('.', '-');
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde())
                        .withTimestampExtractor(eventTime(time)).withName(name + "-in"))
                .filter((id, v) -> v != null, Named.as(name + "-present"))
                .mapValues(input::apply, Named.as(name + "-input"));
    }

    @SuppressWarnings("unchecked")
    private static <V> TimestampExtractor eventTime(Function<V, Instant> time) {
        return (record, partitionTime) -> record.value() == null ? record.timestamp() : time.apply((V) record.value()).toEpochMilli();
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
