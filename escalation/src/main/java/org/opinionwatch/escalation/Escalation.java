package org.opinionwatch.escalation;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import org.opinionwatch.runtime.streams.DeadLetters;
import org.opinionwatch.runtime.streams.StreamsSettings;

/**
 * The escalation stage: reads the classifier's {@code classifier.timeline} (its decisions and how far it has decided,
 * in event-time order: no wait on other topics is needed to take them in order) and people's {@code actions}, writes
 * {@code notifications}, {@code tracking} and the simulated office's {@code actions}; a record it cannot read, process
 * or write goes to {@code escalation.dlq}.
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
        // max.task.idle.ms stays at Kafka Streams' default (0): in a backlog, a task waits to fetch its actions partition
        // and takes actions and timeline in time order. Without the wait (-1), a restarted stage applied people's
        // actions after later decisions and sent other digests (EscalationRestartTest).
        return StreamsSettings.base(config, config.escalation().applicationId());
    }
}
