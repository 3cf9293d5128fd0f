package org.opinionwatch.runtime.streams;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.metrics.Health;

/** What both Kafka Streams stages (classifier, escalation) share: their common settings and how they start. */
public final class StreamsSettings {
    private StreamsSettings() {
    }

    public static Properties base(OpinionWatchConfig config, String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.putAll(KafkaClients.settings(config.kafka()));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        // Each commit sends a burst to every changelog, repartition and output partition: in batches of up to
        // 256 KiB, compressed, the stages ran twice as fast in the bench as with the producer's 16 KiB uncompressed
        // batches (classifier 1,812 -> 3,637 snapshots/s; BENCHMARKS.md), as fewer, larger requests reach the broker.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Catching up, the stream thread waited in poll for up to poll.ms (100 ms) while its partitions' buffers were
        // full (JFR: most of its native samples in the consumer's select): 10 ms, at a few hundred idle wake-ups a
        // second, let the classifier catch up faster (3,515 -> 4,606 snapshots/s with 5 ms in the bench).
        p.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        // Local state is a cache of the changelogs: a directory of its own per application id and instance, so that
        // instances and tests on one machine never share one; a new instance restores from the changelogs.
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "opinion-watch-streams",
                applicationId, UUID.randomUUID().toString()).toString());
        return p;
    }

    /** A Streams stage's readiness: ready while its client is RUNNING. */
    public static Health health(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        return new Health(state == KafkaStreams.State.RUNNING, state.name());
    }

    /** Starts a stage: its topology with its settings, {@code overrides} (may be null) on top; the caller closes it. */
    public static KafkaStreams start(Topology topology, Properties settings, Properties overrides) {
        Properties p = new Properties();
        p.putAll(settings);
        if (overrides != null) {
            p.putAll(overrides);
        }
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.start();
        return streams;
    }
}
