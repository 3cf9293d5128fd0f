package org.opinionwatch.classifier;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/** The classifier stage: starts the Kafka Streams application of {@link ClassifierTopology}. */
public final class Classifier {
    private Classifier() {
    }

    public static Properties streamsProperties(OpinionWatchConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.classifier().applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        // Each instance its own state directory, so instances on one machine (and tests) never share one.
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "opinion-watch",
                config.classifier().applicationId(), UUID.randomUUID().toString()).toString());
        return p;
    }

    public static KafkaStreams start(OpinionWatchConfig config, Properties overrides) {
        Properties p = streamsProperties(config);
        p.putAll(overrides);
        KafkaStreams streams = new KafkaStreams(ClassifierTopology.build(config), p);
        streams.start();
        return streams;
    }
}
