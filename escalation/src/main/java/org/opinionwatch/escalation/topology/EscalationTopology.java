package org.opinionwatch.escalation.topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;

/**
 * The escalation stage as a Kafka Streams topology:
 *
 * <pre>
 *   incidents.severity ──┐                               ┌──► notifications
 *   incidents ───────────┤                               ├──► tracking
 *   actions ─────────────┼──► plan (PlanProcessor) ──────┤
 *   clock ───────────────┘    per incident               └──► day events ─► one partition ─► daily report ─► notifications
 * </pre>
 *
 * The four input topics must have {@code kafka.partitions} partitions: a task reads partition p of each, the
 * heartbeats on {@code clock} (key null, written to every partition) advance the stream time of every task, and the
 * daily report waits for that many tasks to have reached its time.
 */
public final class EscalationTopology {
    /** Per incident: level, metrics, tracking round, pending duties, timeline ({@code escalation-incident/2}). */
    public static final String INCIDENT_STORE = "escalation-incidents";
    public static final String METRICS_STORE = "escalation-metrics";
    /** Everything due, keyed by due time ({@code escalation-timer/2}). */
    public static final String TIMER_STORE = "escalation-timers";
    /** The incidents of the daily report since the last one. */
    public static final String DAILY_STORE = "escalation-daily-report";

    private static final String DAY_EVENTS = "day-events";

    private EscalationTopology() {
    }

    /** Every topic the stage reads, its own repartition topic too: it has caught up when its lag on these is zero. */
    public static java.util.List<String> readTopics(OpinionWatchConfig config) {
        Topics t = config.topicNames();
        return java.util.List.of(t.severity().name(), t.incidents().name(), t.actions().name(), t.clock().name(),
                config.escalation().applicationId() + "-" + DAY_EVENTS + "-repartition");
    }

    /** @param registry where the stage's meters go ({@link EscalationMetrics}) */
    public static Topology build(OpinionWatchConfig config, MeterRegistry registry) {
        Topics topics = config.topicNames();
        OpinionWatchConfig.Escalation settings = config.escalation();
        EscalationMetrics metrics = new EscalationMetrics(registry);
        StreamsBuilder builder = new StreamsBuilder();
        // Persistent and changelogged (the builders' default), so rounds, deadlines and pending timers survive a restart.
        // Cached (read and written by key only): an incident's memory is saved at each of its timers and its metrics
        // are reported with every post counted; the changelogs get the last of a commit's.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INCIDENT_STORE), Serdes.String(), IncidentMemory.SERDE)
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(METRICS_STORE), Serdes.String(), ReportedMetrics.SERDE)
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMER_STORE), Serdes.String(), Timer.SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DAILY_STORE), Serdes.String(), DayEvent.SERDE));

        KStream<String, Object> out = source(builder, topics.severity())
                .merge(source(builder, topics.incidents()), Named.as("and-incident-states"))
                .merge(source(builder, topics.actions()), Named.as("and-actions"))
                .merge(source(builder, topics.clock()), Named.as("and-heartbeats"))
                .process(() -> new PlanProcessor(settings, metrics), Named.as("plan"), INCIDENT_STORE, METRICS_STORE, TIMER_STORE);

        var byKind = out.split(Named.as("plan-"))
                .branch((id, v) -> v instanceof Notification, Branched.as("notification"))
                .branch((id, v) -> v instanceof TrackingCheckpoint, Branched.as("checkpoint"))
                .defaultBranch(Branched.as("day-event"));
        byKind.get("plan-notification").mapValues(v -> (Notification) v, Named.as("notification"))
                .peek((id, n) -> metrics.notified(n), Named.as("count-notification"))
                .to(topics.notifications().name(), produced(topics.notifications(), "notifications-out"));
        byKind.get("plan-checkpoint").mapValues(v -> (TrackingCheckpoint) v, Named.as("checkpoint"))
                .to(topics.tracking().name(), produced(topics.tracking(), "tracking-out"));
        // The daily report covers every incident, so it runs in one task: one partition.
        byKind.get("plan-day-event").mapValues(v -> (DayEvent) v, Named.as("day-event"))
                .repartition(Repartitioned.<String, DayEvent>as(DAY_EVENTS).withKeySerde(Serdes.String())
                        .withValueSerde(DayEvent.SERDE).withNumberOfPartitions(1))
                .process(() -> new DailyReportProcessor(settings.dailyReport(), config.kafka().partitions()), Named.as("daily-report"), DAILY_STORE)
                .peek((id, n) -> metrics.notified(n), Named.as("count-daily-report"))
                .to(topics.notifications().name(), produced(topics.notifications(), "daily-report-out"));
        return builder.build();
    }

    /** A source of one topic, as Objects (the plan tells them apart), with the event's own time as record time. */
    @SuppressWarnings("unchecked")
    private static KStream<String, Object> source(StreamsBuilder builder, Topic<String, ?> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), (Serde<Object>) topic.valueSerde())
                .withTimestampExtractor(EscalationTopology::eventTime).withName(topic.name().replace('.', '-') + "-in"));
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /**
     * The event time carried in the value (change {@code at}, state {@code updatedAt}, action {@code at}, heartbeat
     * {@code time}), so stream time is event time whatever timestamp a producer set; the record timestamp otherwise.
     */
    static long eventTime(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        Instant time = null;
        if (value instanceof SeverityChange change) {
            time = change.at();
        } else if (value instanceof IncidentState state) {
            time = state.updatedAt();
        } else if (value instanceof Action action) {
            time = action.at();
        } else if (value instanceof Heartbeat heartbeat) {
            time = heartbeat.time();
        }
        return time != null ? time.toEpochMilli() : record.timestamp();
    }
}
