package org.opinionwatch.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;

/**
 * The stages' exception handlers under exactly-once, on the real broker: a record that cannot be read, processed or
 * written is a dead letter and the next is processed; a send that the producer refuses stops the client (ERROR)
 * rather than loop on its aborted transaction.
 */
class DeadLetterHandlerTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    @Timeout(300) // room for a first transaction stalled by KAFKA-15591 (FirstTransaction.WITHIN)
    void aRecordThatCannotBeReadProcessedOrWrittenIsADeadLetterAndTheNextIsProcessed() throws Exception {
        Fixture f = new Fixture("dead-letters", Map.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaStreams streams = f.start(registry, new Properties());
        try (KafkaProducer<String, byte[]> producer = f.producer()) {
            producer.send(new ProducerRecord<>(f.in, "a", json(post("first", "ok"))));
            producer.send(new ProducerRecord<>(f.in, "b", "{not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(f.in, "c", json(post("throw", "ok"))));
            // Within the 1 MiB a broker takes as input; its output, three times as long, is not.
            producer.send(new ProducerRecord<>(f.in, "d", json(post("grow", "饭".repeat(150_000)))));
            producer.send(new ProducerRecord<>(f.in, "e", json(post("last", "ok"))));
        }

        List<ConsumerRecord<String, byte[]>> out = f.read(f.out, 2);
        List<ConsumerRecord<String, byte[]>> dead = f.read(f.dlq, 3);
        assertEquals(List.of("first", "last"), out.stream().map(r -> Topics.POST.deserialize(r.topic(), r.value()).id()).toList());
        assertEquals(List.of("b", "c", "d"), dead.stream().map(ConsumerRecord::key).toList(), "keyed by the input's key");
        List<DeadLetter> letters = dead.stream().map(r -> Topics.DEAD_LETTER.deserialize(r.topic(), r.value())).toList();
        for (int i = 0; i < 3; i++) {
            assertEquals("test-stage", letters.get(i).source());
            assertEquals(f.in + "-0@" + (i + 1), letters.get(i).location());
        }
        assertTrue(letters.get(0).reason().startsWith("deserialization: cannot read the record: SerializationException: malformed JSON"),
                letters.get(0).reason());
        assertEquals("{not json", letters.get(0).input());
        assertTrue(letters.get(1).reason().startsWith("processing: in "), letters.get(1).reason());
        assertTrue(letters.get(1).reason().endsWith("IllegalArgumentException: cannot process throw"), letters.get(1).reason());
        assertTrue(letters.get(1).input().contains("\"id\":\"throw\""), "the input as it came: " + letters.get(1).input());
        assertTrue(letters.get(2).reason().matches("production: cannot write the value of a record to " + f.out
                + ": SerializationException: cannot write post/1: \\d+ bytes, more than the 1000000 a record may have"
                + " \\(input truncated to its first 64 KiB\\)"), letters.get(2).reason());
        assertTrue(letters.get(2).input().startsWith("{\"schema\":\"post/1\",\"id\":\"grow\""), "the input that led to it");
        assertEquals(KafkaStreams.State.RUNNING, streams.state());
        for (DeadLetters.Kind kind : DeadLetters.Kind.values()) {
            assertEquals(1.0, registry.get("stage.dead.letters").tags("stage", "test-stage", "kind", kind.name().toLowerCase()).counter().count(),
                    kind.name());
        }
        streams.close(Duration.ofSeconds(30));
    }

    @Test
    @Timeout(300) // room for a first transaction stalled by KAFKA-15591 (FirstTransaction.WITHIN)
    void aSendTheProducerRefusesStopsTheClientInsteadOfRetryingItsAbortedTransactionForever() throws Exception {
        Fixture f = new Fixture("refused", Map.of());
        Properties small = new Properties();
        small.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 20_000);
        assertStopsOnALargerRecord(f, small);
    }

    @Test
    @Timeout(300) // room for a first transaction stalled by KAFKA-15591 (FirstTransaction.WITHIN)
    void aSendTheBrokerRefusesStopsTheClientToo() throws Exception {
        assertStopsOnALargerRecord(new Fixture("broker-refused", Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "20000")), new Properties());
    }

    /** A record of 30 KB and more, compressed too (the stages' producers compress): random text. */
    private void assertStopsOnALargerRecord(Fixture f, Properties overrides) throws Exception {
        KafkaStreams streams = f.start(new SimpleMeterRegistry(), overrides);
        java.util.Random random = new java.util.Random(1);
        String text = random.ints(10_000, 0x4E00, 0x9FA5).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        try (KafkaProducer<String, byte[]> producer = f.producer()) {
            producer.send(new ProducerRecord<>(f.in, "a", json(post("grow", text))));
        }
        await(() -> streams.state() == KafkaStreams.State.ERROR, "the client in ERROR, now " + streams.state());
        assertEquals("its Kafka Streams client failed", StreamsSettings.failure(streams));
        streams.close(Duration.ofSeconds(30));
    }

    @Test
    void twoInstancesOnOneStateDirectoryAreToldToTakeOneEach() throws Exception {
        Fixture f = new Fixture("shared-dir", Map.of());
        KafkaStreams first = f.start(new SimpleMeterRegistry(), new Properties());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.start(new SimpleMeterRegistry(), new Properties()));
            assertEquals("another instance of " + f.application + " on this host uses the state directory "
                    + stateDir.resolve(f.application) + ": give each instance a streams.stateDir of its own (OW_STREAMS_STATE_DIR)", e.getMessage());
        } finally {
            first.close(Duration.ofSeconds(30));
        }
    }

    /** in → (a post "throw" fails; "grow" triples its text) → out, with a persistent store, as a stage has. */
    private final class Fixture {
        final OpinionWatchConfig config;
        final String application;
        final String in;
        final String out;
        final String dlq;

        /** @param outConfig the output topic's settings */
        Fixture(String name, Map<String, String> outConfig) throws Exception {
            String ns = name + "-" + System.nanoTime() + ".";
            config = ConfigLoader.load(null, Map.of()).inNamespace(ns).withBootstrapServers(EmbeddedKafka.shared().bootstrapServers())
                    .withStateDir(stateDir);
            application = ns + "test-stage";
            in = ns + "in";
            out = ns + "out";
            dlq = config.topicNames().classifierDlq().name();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1).configs(outConfig),
                        new NewTopic(dlq, 1, (short) 1))).all().get();
                TopicSetup.awaitServed(admin, List.of(in, out, dlq));
            }
        }

        KafkaStreams start(SimpleMeterRegistry registry, Properties overrides) {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(in, Consumed.with(Serdes.String(), Topics.POST))
                    .mapValues(p -> {
                        if (p.id().equals("throw")) {
                            throw new IllegalArgumentException("cannot process " + p.id());
                        }
                        return p.id().equals("grow") ? withText(p, p.text().repeat(3)) : p;
                    })
                    .to(out, Produced.with(Serdes.String(), Topics.POST));
            builder.table(out, Consumed.with(Serdes.String(), Serdes.ByteArray()), Materialized.as("persistent"));
            Topology topology = builder.build();
            Properties settings = new DeadLetters("test-stage", dlq, registry).applyTo(StreamsSettings.base(config, application));
            KafkaStreams streams = StreamsSettings.start(topology, settings, overrides);
            await(() -> streams.state() == KafkaStreams.State.RUNNING || streams.state() == KafkaStreams.State.ERROR, "started");
            return streams;
        }

        KafkaProducer<String, byte[]> producer() {
            return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
        }

        /** The first {@code count} committed records of {@code topic}. */
        List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                await(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return records.size() >= count;
                }, count + " records on " + topic);
            }
            return records;
        }
    }

    private static Post post(String id, String text) {
        return new Post(id, "forum", "https://bbs.example.edu/t/" + id, "title", text, "", T0, T0, Engagement.ZERO, false, null);
    }

    private static Post withText(Post p, String text) {
        return new Post(p.id(), p.source(), p.url(), p.title(), text, p.author(), p.publishedAt(), p.observedAt(), p.engagement(),
                p.mainstream(), p.repostOf());
    }

    private static byte[] json(Post post) {
        return Topics.POST.serialize("", post);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + FirstTransaction.WITHIN.toSeconds() + " s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }
}
