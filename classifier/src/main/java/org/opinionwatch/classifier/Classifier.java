package org.opinionwatch.classifier;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.classifier.subject.TextNormalizer;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import org.opinionwatch.runtime.streams.DeadLetters;
import org.opinionwatch.runtime.streams.StreamsSettings;

/** The classifier stage: starts the Kafka Streams application of {@link ClassifierTopology}. */
public final class Classifier {
    private Classifier() {
    }

    /** The Kafka Streams settings of the stage; {@link #start} applies its overrides on top of them. */
    public static Properties streamsProperties(OpinionWatchConfig config) {
        Properties p = StreamsSettings.base(config, config.classifier().applicationId());
        // The order in which a task takes records from its partitions decides nothing: every input waits for the
        // watermark, and every heartbeat comes among its partition's posts (ClassifierTopology). So a task need not
        // wait for a partition that has records on the broker not fetched yet (-1), which also spares Kafka Streams
        // formatting a message for each empty partition, for every record (Kafka Streams 4.4.0).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return p;
    }

    /**
     * Builds the topology, starts it and returns the running client; the caller closes it.
     *
     * @param metrics where the stage's meters go; the client's own (Kafka Streams, consumers, producers) are bound too
     * @throws IllegalStateException when posts.raw has other partitions than configured, or another instance on this
     *     host holds the state directory
     */
    public static KafkaStreams start(OpinionWatchConfig config, Properties overrides, MetricsEndpoint metrics) {
        TextNormalizer.prepare();
        checkPartitions(config);
        Properties settings = new DeadLetters("classifier", config.topicNames().classifierDlq().name(), metrics.registry())
                .applyTo(streamsProperties(config));
        KafkaStreams streams = StreamsSettings.start(ClassifierTopology.build(config, metrics.registry()), settings, overrides);
        metrics.bind(new KafkaStreamsMetrics(streams));
        metrics.health(() -> StreamsSettings.health(streams));
        return streams;
    }

    /**
     * The topology counts a post where it is read when that is its incident's partition of {@code kafka.partitions}
     * ({@link org.opinionwatch.contract.topic.IncidentPartitions}): with posts.raw partitioned otherwise, one
     * incident's posts would be counted in two tasks. A posts.raw not yet created is left to Kafka Streams.
     */
    private static void checkPartitions(OpinionWatchConfig config) {
        String topic = config.topicNames().postsRaw().name();
        try (Admin admin = Admin.create(KafkaClients.settings(config.kafka()))) {
            int actual = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).partitions().size();
            if (actual != config.kafka().partitions()) {
                throw new IllegalStateException("topic " + topic + " has " + actual + " partitions but kafka.partitions is "
                        + config.kafka().partitions() + ": set kafka.partitions to " + actual);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + topic + " within 60 s at " + config.kafka().bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }
}
