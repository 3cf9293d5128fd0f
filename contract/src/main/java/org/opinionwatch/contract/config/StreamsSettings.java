package org.opinionwatch.contract.config;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings that both Streams stages (classifier, escalation) share. */
public final class StreamsSettings {
    private StreamsSettings() {
    }

    public static Properties base(OpinionWatchConfig config, String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        // Local state is a cache of the changelogs: a directory of its own per application id and instance, so that
        // instances and tests on one machine never share one; a new instance restores from the changelogs.
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "opinion-watch-streams",
                applicationId, UUID.randomUUID().toString()).toString());
        return p;
    }
}
