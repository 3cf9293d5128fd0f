package org.opinionwatch.classifier;

import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.config.StreamsSettings;

/** The classifier stage: starts the Kafka Streams application of {@link ClassifierTopology}. */
public final class Classifier {
    private Classifier() {
    }

    /** The Kafka Streams settings of the stage; {@link #start} applies its overrides on top of them. */
    public static Properties streamsProperties(OpinionWatchConfig config) {
        return StreamsSettings.base(config, config.classifier().applicationId());
    }

    /** Builds the topology, starts it and returns the running client; the caller closes it. */
    public static KafkaStreams start(OpinionWatchConfig config, Properties overrides) {
        return StreamsSettings.start(ClassifierTopology.build(config), streamsProperties(config), overrides);
    }
}
