package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.plan.ResponsePlan;
import org.opinionwatch.escalation.plan.TrackingSchedule;

/**
 * The escalation stage as a Kafka Streams topology (Processor API):
 *
 * <pre>
 *   incidents.severity ──┐                            ┌──► notifications
 *   incidents ───────────┼──► plan (PlanProcessor) ───┤
 *   clock ───────────────┘                            └──► tracking
 *                             stores: escalation-incidents, escalation-timers
 * </pre>
 *
 * The three input topics must have the same number of partitions: a task reads partition p of each, and the
 * heartbeats on {@code clock} (key null, written to every partition) advance the stream time of every task.
 */
public final class EscalationTopology {
    /** Per incident: level, latest metrics, tracking round ({@code escalation-incident/1}). */
    public static final String INCIDENT_STORE = "escalation-incidents";
    /** Pending checkpoints keyed by due time ({@code escalation-timer/1}). */
    public static final String TIMER_STORE = "escalation-timers";

    static final String SEVERITY_SOURCE = "severity-changes";
    static final String INCIDENTS_SOURCE = "incident-states";
    static final String CLOCK_SOURCE = "heartbeats";
    static final String PLAN = "plan";
    static final String NOTIFICATIONS_SINK = "notifications-out";
    static final String TRACKING_SINK = "tracking-out";

    private EscalationTopology() {
    }

    public static Topology build(OpinionWatchConfig config) {
        Topics topics = config.topicNames();
        OpinionWatchConfig.Escalation settings = config.escalation();
        Topology topology = new Topology();

        source(topology, SEVERITY_SOURCE, topics.severity());
        source(topology, INCIDENTS_SOURCE, topics.incidents());
        source(topology, CLOCK_SOURCE, topics.clock());

        topology.addProcessor(PLAN, () -> new PlanProcessor(new ResponsePlan(settings), new TrackingSchedule(settings)),
                SEVERITY_SOURCE, INCIDENTS_SOURCE, CLOCK_SOURCE);
        // Persistent and changelogged (the builders' default), so rounds and pending timers survive a restart.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(INCIDENT_STORE), Serdes.String(), IncidentMemory.SERDE), PLAN);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TIMER_STORE), Serdes.String(), Timer.SERDE), PLAN);

        topology.addSink(NOTIFICATIONS_SINK, topics.notifications().name(),
                topics.notifications().keySerde().serializer(), topics.notifications().valueSerde().serializer(), PLAN);
        topology.addSink(TRACKING_SINK, topics.tracking().name(),
                topics.tracking().keySerde().serializer(), topics.tracking().valueSerde().serializer(), PLAN);
        return topology;
    }

    /** A source whose record time is the event's own time; the offset reset is left to auto.offset.reset (null). */
    private static void source(Topology topology, String name, Topic<String, ?> topic) {
        topology.addSource((AutoOffsetReset) null, name, EscalationTopology::eventTime,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name());
    }

    /**
     * The event time carried in the value (change {@code at}, state {@code updatedAt}, heartbeat {@code time}), so
     * stream time is event time whatever timestamp a producer set; the record timestamp for anything else.
     */
    static long eventTime(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        Instant time = null;
        if (value instanceof SeverityChange change) {
            time = change.at();
        } else if (value instanceof IncidentState state) {
            time = state.updatedAt();
        } else if (value instanceof Heartbeat heartbeat) {
            time = heartbeat.time();
        }
        return time != null ? time.toEpochMilli() : record.timestamp();
    }
}
