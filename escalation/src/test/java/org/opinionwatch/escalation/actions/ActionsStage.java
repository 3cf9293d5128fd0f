package org.opinionwatch.escalation.actions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * The escalation stage on a real broker with a case of each of some MAJOR incidents, its actions endpoint, and a reader
 * of the {@code actions} topic the endpoint publishes to: what the tests of the actions endpoint and of the action
 * links' pages stand on, one for a test class.
 */
final class ActionsStage implements AutoCloseable {
    private final OpinionWatchConfig config;
    private Path stateDir;
    private MetricsEndpoint metrics;
    private KafkaStreams streams;
    private StreamsCases cases;
    private ActionPublisher publisher;
    private ActionsEndpoint endpoint;
    /** Reads the topic from its start each time; one for the class, as creating a consumer takes a while. */
    private KafkaConsumer<String, Action> consumer;

    private ActionsStage(OpinionWatchConfig config) {
        this.config = config;
    }

    /**
     * Creates the config's topics, starts the stage, has it open a case of each incident (their root posts) of
     * {@code subject} that became MAJOR at {@code at}, and starts the endpoint once the stage has them all.
     */
    static ActionsStage start(OpinionWatchConfig config, Instant at, String subject, PostRef... incidents) throws Exception {
        ActionsStage stage = new ActionsStage(config);
        try {
            stage.open(at, subject, List.of(incidents));
            return stage;
        } catch (Exception | AssertionError e) {
            stage.close();
            throw e;
        }
    }

    private void open(Instant at, String subject, List<PostRef> incidents) throws Exception {
        TopicSetup.create(config, false);
        metrics = MetricsEndpoint.start("escalation", 0);
        Properties overrides = new Properties();
        stateDir = Files.createTempDirectory("actions-stage");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams = Escalation.start(config, overrides, metrics);
        cases = new StreamsCases(streams, config.kafka().partitions(), null);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            Topics t = config.topicNames();
            for (PostRef root : incidents) {
                producer.send(new ProducerRecord<>(t.timeline().name(), null, at.toEpochMilli(), root.id(), Topics.TIMELINE.serialize("",
                        TimelineEntry.decided(null, new SeverityChange(root.id(), subject, Level.NONE, Level.MAJOR, List.of("comments>=100"),
                                new WindowMetrics(1500, 160, 0), Duration.ofHours(24), at, at, root, List.of(root), List.of("complaint"),
                                List.of()), null))));
            }
            // The classifier's progress on every partition advances the stream time of every task past the changes.
            for (int p = 0; p < config.kafka().partitions(); p++) {
                producer.send(new ProducerRecord<>(t.timeline().name(), p, at.plusSeconds(1).toEpochMilli(), null,
                        Topics.TIMELINE.serialize("", TimelineEntry.reached(at.plusSeconds(1)))));
            }
        }
        await(() -> incidents.stream().allMatch(root -> caseOf(root.id()).isPresent()), "the stage has the incidents' cases");
        publisher = new ActionPublisher(config, ActionPublisher.TIMEOUT);
        endpoint = ActionsEndpoint.start(config, publisher, cases);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                        // at the end of a partition the broker would otherwise hold each fetch for half a second
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), Topics.ACTION.deserializer());
        String topic = config.topicNames().actions().name();
        consumer.assign(consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
    }

    /** The stage's cases, as an endpoint checks actions against them. */
    StreamsCases cases() {
        return cases;
    }

    /** The port of the endpoint on loopback. */
    int port() {
        return endpoint.port();
    }

    /** The stage's case of an incident; empty also while its stores are not yet queryable. */
    Optional<Case> caseOf(String id) {
        try {
            return cases.find(id);
        } catch (Cases.Unavailable e) {
            return Optional.empty();
        }
    }

    /** Waits until the condition holds, failing with {@code what} after {@link FirstTransaction#WITHIN}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited in vain: " + what);
            Thread.sleep(50);
        }
    }

    /** The records on the actions topic so far with this key, read from its start. */
    List<ConsumerRecord<String, Action>> published(String key) {
        consumer.seekToBeginning(consumer.assignment());
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<String, Action>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (end.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            assertTrue(System.nanoTime() < deadline, "the topic could not be read to its end");
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Closes what {@link #start} opened, in the reverse order, as far as it came. */
    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
        if (stateDir != null) {
            try {
                Utils.delete(stateDir.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
