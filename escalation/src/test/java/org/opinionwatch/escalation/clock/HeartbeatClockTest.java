package org.opinionwatch.escalation.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.topic.TopicSetup;

/** The escalation's own clock against a real broker: silent ingest, heartbeats of its own; ingest back, none. */
class HeartbeatClockTest {
    @Test
    void whenIngestIsSilentTheStageWritesWallClockHeartbeatsToEveryPartitionUntilIngestIsBack() throws Exception {
        OpinionWatchConfig config = config("clock-");
        TopicSetup.create(config, false);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Instant before = Instant.now();
        try (HeartbeatClock clock = HeartbeatClock.start(config, meters, Clock.systemUTC());
             KafkaProducer<String, Heartbeat> ingest = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     config.kafka().bootstrapServers()), new StringSerializer(), config.topicNames().clock().valueSerde().serializer())) {
            awaitHeartbeatsOfItsOwn(config, before);
            assertTrue(clock.silent());
            assertEquals(1, meters.get("escalation.clock.ingest.silent").gauge().value());
            // Counted once they are flushed, a moment after a reader may see them.
            await(() -> meters.get("escalation.clock.heartbeats").counter().count() >= 1, "its heartbeats counted");

            // Ingest's heartbeats go among its posts on posts.raw.
            for (int p = 0; p < config.kafka().partitions(); p++) {
                Instant now = Instant.now();
                ingest.send(new ProducerRecord<>(config.topicNames().postsRaw().name(), p, now.toEpochMilli(), null, new Heartbeat(now, "ingest")));
            }
            ingest.flush();
            await(() -> !clock.silent(), "ingest's heartbeats are heard");
            assertEquals(0, meters.get("escalation.clock.ingest.silent").gauge().value());
        }
    }

    @Test
    void aClockStartedBeforeItsTopicsExistKeepsTimeOnceTheyDo() throws Exception {
        OpinionWatchConfig config = config("clock-first-");
        Instant before = Instant.now();
        try (HeartbeatClock clock = HeartbeatClock.start(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            Thread.sleep(500); // it has looked for them, and found none
            TopicSetup.create(config, false);
            awaitHeartbeatsOfItsOwn(config, before);
            assertTrue(clock.silent());
        }
    }

    /** Silent after a second, a heartbeat every 0.2 s, on topics of their own. */
    private static OpinionWatchConfig config(String prefix) {
        return ConfigLoader.load(null, Map.of("OW_TOPICS_PREFIX", prefix + System.nanoTime() + ".",
                "OW_ESCALATION_CLOCK_SILENT_AFTER", "PT1S", "OW_ESCALATION_CLOCK_EVERY", "PT0.2S"))
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
    }

    /** Waits for the clock's own heartbeats, of the wall clock since {@code before}, on every partition of {@code clock}. */
    private static void awaitHeartbeatsOfItsOwn(OpinionWatchConfig config, Instant before) throws InterruptedException {
        String topic = config.topicNames().clock().name();
        try (KafkaConsumer<String, Heartbeat> reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers()), new StringDeserializer(), config.topicNames().clock().valueSerde().deserializer())) {
            reader.assign(reader.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
            reader.seekToBeginning(reader.assignment());
            Set<Integer> partitions = new HashSet<>();
            await(() -> {
                reader.poll(Duration.ofMillis(100)).forEach(r -> {
                    assertEquals(HeartbeatClock.SOURCE, r.value().source());
                    assertTrue(!r.value().time().isBefore(before), "the wall clock: " + r.value().time());
                    assertEquals(r.value().time().toEpochMilli(), r.timestamp());
                    partitions.add(r.partition());
                });
                return partitions.size() == config.kafka().partitions();
            }, "heartbeats of its own on every partition");
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited in vain: " + what);
            Thread.sleep(20);
        }
    }
}
