package org.opinionwatch.classifier;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.config.StreamsSettings;
import org.opinionwatch.contract.metrics.MetricsEndpoint;

/** The classifier stage: starts the Kafka Streams application of {@link ClassifierTopology}. */
public final class Classifier {
    private Classifier() {
    }

    /** The Kafka Streams settings of the stage; {@link #start} applies its overrides on top of them. */
    public static Properties streamsProperties(OpinionWatchConfig config) {
        return StreamsSettings.base(config, config.classifier().applicationId());
    }

    /**
     * Builds the topology, starts it and returns the running client; the caller closes it.
     *
     * @param metrics where the stage's meters go; the client's own (Kafka Streams, consumers, producers) are bound too
     */
    public static KafkaStreams start(OpinionWatchConfig config, Properties overrides, MetricsEndpoint metrics) {
        KafkaStreams streams = StreamsSettings.start(ClassifierTopology.build(config, metrics.registry()), streamsProperties(config), overrides);
        metrics.bind(new KafkaStreamsMetrics(streams));
        return streams;
    }
}
