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

/** Heartbeats on every partition of the clock topic, as live ingest sends them after the posts it read. */
public final class ClockTicks {
    private ClockTicks() {
    }

    /** A heartbeat at {@code at} on every partition: every task has got past what was published before it. */
    public static void at(OpinionWatchConfig config, Instant at) {
        var clock = config.topicNames().clock();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers()), new StringSerializer(), clock.valueSerde().serializer())) {
            for (int p = 0; p < config.kafka().partitions(); p++) {
                producer.send(new ProducerRecord<>(clock.name(), p, at.toEpochMilli(), null, new Heartbeat(at, "test"))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send a heartbeat", e.getCause());
        }
    }
}
