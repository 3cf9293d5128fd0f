package org.opinionwatch.classifier;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.topic.Topics;

/** Heartbeats on every partition of posts.raw, as live ingest sends them behind the posts it read. */
public final class ClockTicks {
    private ClockTicks() {
    }

    /** A heartbeat at {@code at} on every partition: every task has got past what was published before it. */
    public static void at(OpinionWatchConfig config, Instant at) {
        String postsRaw = config.topicNames().postsRaw().name();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers()), new StringSerializer(), Topics.HEARTBEAT.serializer())) {
            for (int p = 0; p < config.kafka().partitions(); p++) {
                producer.send(new ProducerRecord<>(postsRaw, p, at.toEpochMilli(), null, new Heartbeat(at, "test"))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send a heartbeat", e.getCause());
        }
    }
}
