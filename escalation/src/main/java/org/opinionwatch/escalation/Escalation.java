package org.opinionwatch.escalation;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.escalation.topology.EscalationTopology;

/**
 * The escalation stage: reads {@code incidents.severity}, {@code incidents} and {@code clock}, writes
 * {@code notifications} and {@code tracking}. Scale out by starting more instances with the same application id.
 */
public final class Escalation {
    private Escalation() {
    }

    /** Builds the topology, starts it and returns the running client; the caller closes it. */
    public static KafkaStreams start(OpinionWatchConfig config, Properties overrides) {
        Properties properties = streamsProperties(config);
        if (overrides != null) {
            properties.putAll(overrides);
        }
        KafkaStreams streams = new KafkaStreams(EscalationTopology.build(config), properties);
        streams.start();
        return streams;
    }

    /** The Kafka Streams settings of the stage; {@link #start} applies its overrides on top of them. */
    public static Properties streamsProperties(OpinionWatchConfig config) {
        String applicationId = config.escalation().applicationId();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        // A task reads the same partition of incidents.severity, incidents and clock and always takes the record
        // with the lowest timestamp among them. When one of them has nothing buffered, it waits up to this long for
        // it instead of going on, so that a heartbeat cannot overtake an earlier incident update that is merely
        // late in arriving (which would fire a checkpoint before the update it should include).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 1000L);
        // Local state is a cache of the changelogs: a directory of its own per application id and instance, so that
        // instances and tests on one machine never share one; a new instance restores from the changelogs.
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "opinion-watch-streams",
                applicationId, UUID.randomUUID().toString()).toString());
        return p;
    }
}
