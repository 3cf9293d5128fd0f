package org.opinionwatch.escalation;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import org.opinionwatch.runtime.streams.DeadLetters;
import org.opinionwatch.runtime.streams.StreamsSettings;

/**
 * The escalation stage: reads {@code incidents.severity}, {@code incidents} and {@code clock}, writes
 * {@code notifications} and {@code tracking}; a record it cannot read, process or write goes to {@code escalation.dlq}.
 * Scale out by starting more instances with the same application id.
 */
public final class Escalation {
    private Escalation() {
    }

    /** Builds the topology, starts it and returns the running client; the caller closes it. */
    public static KafkaStreams start(OpinionWatchConfig config, Properties overrides, MetricsEndpoint metrics) {
        Properties settings = new DeadLetters("escalation", config.topicNames().escalationDlq().name(), metrics.registry())
                .applyTo(streamsProperties(config));
        KafkaStreams streams = StreamsSettings.start(EscalationTopology.build(config, metrics.registry()), settings, overrides);
        metrics.bind(new KafkaStreamsMetrics(streams));
        metrics.health(() -> StreamsSettings.health(streams));
        return streams;
    }

    /** The Kafka Streams settings of the stage; {@link #start} applies its overrides on top of them. */
    public static Properties streamsProperties(OpinionWatchConfig config) {
        Properties p = StreamsSettings.base(config, config.escalation().applicationId());
        // A task reads the same partition of incidents.severity, incidents and clock and always takes the record
        // with the lowest timestamp among them. When one of them has nothing buffered, it waits up to this long for
        // it instead of going on, so that a heartbeat cannot overtake an earlier incident update that is merely
        // late in arriving (which would fire a checkpoint before the update it should include).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 1000L);
        return p;
    }
}
