package org.opinionwatch.notifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.notifier.WebhookReceiver.Answer;
import org.opinionwatch.notifier.WebhookReceiver.Received;
import org.opinionwatch.notifier.webhook.Signature;

/**
 * The notifier on the embedded broker against a loopback receiver that fails now and then: every notification is
 * delivered once the receiver recovers, each request is signed, every outcome is recorded, and a restart loses none.
 */
class NotifierBrokerTest {
    private static final Map<Role, String> SECRETS = Map.of(
            Role.OFFICE, "office-secret-0123456789",
            Role.DEPARTMENT, "department-secret-0123456789",
            Role.LEADERSHIP_GROUP, "leadership-secret-0123456789");
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Instant AT = Instant.parse("2024-05-01T09:00:00Z");

    @TempDir
    Path dir;

    private final String bootstrap = EmbeddedKafka.shared().bootstrapServers();
    private final List<AutoCloseable> open = new ArrayList<>();
    /** The bytes published of each notification, by id, in order. */
    private final Map<String, byte[]> published = new LinkedHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Fails now and then: 503 (asking to retry at once), a dropped connection, an answer after the notifier's timeout. */
    private static Answer flaky(String id, int n) {
        if (id != null && id.contains("poison")) {
            return Answer.status(400, "unknown duty");
        }
        if (n % 5 == 2) {
            return Answer.retryAfter(503, "0");
        }
        if (n % 7 == 3) {
            return Answer.drop();
        }
        if (n % 11 == 4) {
            return Answer.hang(Duration.ofSeconds(2));
        }
        return Answer.ok();
    }

    private OpinionWatchConfig config(WebhookReceiver receiver, String namespace, int maxPending) throws IOException {
        Path file = dir.resolve(namespace + "yaml");
        Files.writeString(file, """
                kafka:
                  partitions: 3
                topics:
                  prefix: "%s"
                notifier:
                  groupId: "%snotifier"
                  webhooks:
                    OFFICE: { url: "%s" }
                    DEPARTMENT: { url: "%s" }
                    LEADERSHIP_GROUP: { url: "%s" }
                  timeout: PT1S
                  initialBackoff: PT0.05S
                  maxBackoff: PT0.4S
                  maxPending: %d
                  metricsPort: 0
                """.formatted(namespace, namespace, receiver.uri("/office"), receiver.uri("/department") + "?token=abc",
                receiver.uri("/leadership"), maxPending));
        Map<String, String> env = new HashMap<>();
        SECRETS.forEach((role, secret) -> env.put("OW_NOTIFIER_WEBHOOKS_" + role.name() + "_SECRET", secret));
        OpinionWatchConfig config = ConfigLoader.load(file, env).withBootstrapServers(bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics topics = config.topicNames();
            admin.createTopics(List.of(new NewTopic(topics.notifications().name(), 3, (short) 1),
                    new NewTopic(topics.deliveries().name(), 3, (short) 1))).all().get();
            TopicSetup.awaitServed(admin, List.of(topics.notifications().name(), topics.deliveries().name()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return config;
    }

    private static Notification notification(String incident, Role role, String duty) {
        return new Notification(incident + "/" + role + "/" + duty, Notification.Kind.DUTIES, incident, null, "canteen", Level.MAJOR, role,
                List.of(duty), Map.of(duty, AT.plusSeconds(7200)), "立即上报领导小组 " + incident, AT, AT.plusSeconds(7200), null,
                new PostRef(incident, "https://bbs.example.edu/" + incident, "食堂"), null, null);
    }

    private KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        config.putAll(extra);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        open.add(producer);
        return producer;
    }

    private void publish(KafkaProducer<String, byte[]> producer, OpinionWatchConfig config, Notification n) {
        String topic = config.topicNames().notifications().name();
        byte[] bytes = Topics.NOTIFICATION.serialize(topic, n);
        published.put(n.id(), bytes);
        producer.send(new ProducerRecord<>(topic, n.incidentId(), bytes));
    }

    /** Reads the delivery records from the start until {@code done} holds of them. */
    private List<Delivery> deliveries(OpinionWatchConfig config, Predicate<List<Delivery>> done) {
        String topic = config.topicNames().deliveries().name();
        List<Delivery> read = new ArrayList<>();
        try (KafkaConsumer<String, Delivery> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new org.apache.kafka.common.serialization.StringDeserializer(), Topics.DELIVERY)) {
            consumer.assign(List.of(0, 1, 2).stream().map(p -> new TopicPartition(topic, p)).toList());
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (!done.test(read)) {
                assertTrue(System.nanoTime() < deadline, "not done within " + WITHIN + "; read " + read.size() + " records: " + read);
                for (ConsumerRecord<String, Delivery> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record.value());
                }
            }
        }
        return read;
    }

    private static Set<String> ids(List<Delivery> deliveries, Delivery.Outcome outcome) {
        return deliveries.stream().filter(d -> d.outcome() == outcome).map(Delivery::notificationId).collect(Collectors.toSet());
    }

    private static Role roleOf(String path) {
        return switch (path) {
            case "/office" -> Role.OFFICE;
            case "/department" -> Role.DEPARTMENT;
            default -> Role.LEADERSHIP_GROUP;
        };
    }

    /** Every request is signed with its role's secret over the bytes that were published. */
    private void assertSignedAndIntact(List<Received> requests) {
        for (Received r : requests) {
            assertTrue(Signature.verify(SECRETS.get(roleOf(r.path())), r.timestamp(), r.body(), r.signature(), Instant.now(), Duration.ofMinutes(5)),
                    "signature of " + r.id() + " on " + r.path());
            assertArrayEquals(published.get(r.id()), r.body(), "the notification's bytes as they are on the topic");
            assertEquals("application/json", r.contentType());
        }
    }

    @Test
    void everyNotificationIsDeliveredOnceTheWebhooksRecoverAndEveryOutcomeIsRecorded() throws Exception {
        AtomicBoolean leadershipDown = new AtomicBoolean(true);
        WebhookReceiver receiver = new WebhookReceiver()
                .on("/office", (id, body, n) -> flaky(id, n))
                .on("/department", (id, body, n) -> flaky(id, n))
                .on("/leadership", (id, body, n) -> leadershipDown.get() ? Answer.status(503, "maintenance") : flaky(id, n));
        open.add(receiver);
        String namespace = "notifier-" + System.nanoTime() + ".";
        OpinionWatchConfig config = config(receiver, namespace, 1000);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Notifier notifier = Notifier.start(config, meters);
        open.add(notifier);

        KafkaProducer<String, byte[]> producer = producer(Map.of());
        // First in its partition: a refusal must not hold up what follows it.
        publish(producer, config, notification("inc-0", Role.OFFICE, "poison"));
        String topic = config.topicNames().notifications().name();
        producer.send(new ProducerRecord<>(topic, "inc-0", "{\"schema\":\"notification/1\",".getBytes(UTF_8)));
        List<Role> roles = List.of(Role.OFFICE, Role.DEPARTMENT, Role.LEADERSHIP_GROUP, Role.SPOKESPERSON);
        for (int i = 0; i < 12; i++) {
            for (Role role : roles) {
                publish(producer, config, notification("inc-" + i, role, "duty"));
            }
        }
        producer.flush();
        // Written in a transaction that is aborted: never decided, never delivered.
        KafkaProducer<String, byte[]> transactional = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, namespace + "aborting"));
        transactional.initTransactions();
        transactional.beginTransaction();
        Notification aborted = notification("inc-1", Role.OFFICE, "aborted");
        transactional.send(new ProducerRecord<>(topic, aborted.incidentId(), Topics.NOTIFICATION.serialize(topic, aborted)));
        transactional.flush();
        transactional.abortTransaction();

        Set<String> leadership = published.keySet().stream().filter(id -> id.contains("/LEADERSHIP_GROUP/")).collect(Collectors.toSet());
        Set<String> others = new java.util.HashSet<>(published.keySet());
        others.removeAll(leadership);
        // While the leadership's webhook is down, every other notification is finished.
        List<Delivery> whileDown = deliveries(config, read -> read.stream().map(Delivery::notificationId).collect(Collectors.toSet()).containsAll(others));
        assertEquals(Set.of(), ids(whileDown, Delivery.Outcome.DELIVERED).stream().filter(leadership::contains).collect(Collectors.toSet()));
        assertTrue(receiver.received().stream().anyMatch(r -> r.path().equals("/leadership")), "the leadership's webhook is being retried");
        leadershipDown.set(false);

        List<Delivery> records = deliveries(config, read -> ids(read, Delivery.Outcome.DELIVERED).containsAll(leadership));
        Set<String> routed = published.keySet().stream().filter(id -> !id.contains("/SPOKESPERSON/") && !id.contains("poison")).collect(Collectors.toSet());
        assertEquals(routed, ids(records, Delivery.Outcome.DELIVERED));
        Set<String> taken = receiver.received().stream().filter(r -> r.answered() == 200).map(Received::id).collect(Collectors.toSet());
        assertEquals(routed, taken, "every notification reached its webhook and was taken");
        assertSignedAndIntact(receiver.received());
        assertFalse(receiver.received().stream().anyMatch(r -> r.id().equals(aborted.id())), "an aborted notification is never sent");

        Map<String, Delivery> byId = records.stream().filter(d -> d.notificationId() != null)
                .collect(Collectors.toMap(Delivery::notificationId, d -> d, (a, b) -> a));
        Delivery office = byId.get("inc-3/OFFICE/duty");
        assertEquals("inc-3", office.incidentId());
        assertEquals(Role.OFFICE, office.role());
        assertEquals(receiver.uri("/office").toString(), office.url());
        assertEquals(200, office.lastStatus());
        assertTrue(office.attempts() >= 1 && office.location().startsWith(namespace + "notifications-"), office.toString());
        assertTrue(!office.firstAttemptAt().isAfter(office.finishedAt()), office.toString());
        assertEquals(receiver.uri("/department").toString(), byId.get("inc-3/DEPARTMENT/duty").url(), "the query (a token) is not recorded");

        Delivery poison = byId.get("inc-0/OFFICE/poison");
        assertEquals(Delivery.Outcome.REFUSED, poison.outcome());
        assertEquals(400, poison.lastStatus());
        assertEquals("HTTP 400: unknown duty", poison.reason());
        Delivery skipped = byId.get("inc-5/SPOKESPERSON/duty");
        assertEquals(Delivery.Outcome.SKIPPED, skipped.outcome());
        assertEquals("skipped: no channel for role SPOKESPERSON", skipped.reason());
        assertEquals(null, skipped.channel());
        assertEquals("webhooks.OFFICE", office.channel());
        assertEquals("OFFICE", office.audience());
        assertEquals(0, skipped.attempts());
        List<Delivery> unreadable = records.stream().filter(d -> d.notificationId() == null).toList();
        assertEquals(1, unreadable.size());
        assertEquals(Delivery.Outcome.REFUSED, unreadable.get(0).outcome());
        assertEquals("inc-0", unreadable.get(0).incidentId());
        assertNull(unreadable.get(0).role());
        assertTrue(unreadable.get(0).reason().startsWith("unreadable notification: malformed JSON"), unreadable.get(0).reason());

        // The receiver failed in every way it can, and the notifier got through each.
        Set<Integer> answers = receiver.received().stream().map(Received::answered).collect(Collectors.toSet());
        assertTrue(answers.containsAll(Set.of(200, 400, 503, -1)), answers.toString());
        assertTrue(meters.counter("notifier.attempts", "role", "OFFICE", "result", "timeout").count()
                + meters.counter("notifier.attempts", "role", "DEPARTMENT", "result", "timeout").count() >= 1, "a hang timed out");
        assertTrue(meters.counter("notifier.attempts", "role", "OFFICE", "result", "io").count()
                + meters.counter("notifier.attempts", "role", "DEPARTMENT", "result", "io").count() >= 1, "a dropped connection");
        assertEquals(12, meters.counter("notifier.deliveries", "role", "SPOKESPERSON", "outcome", "SKIPPED").count());
        assertEquals(1, meters.counter("notifier.deliveries", "role", "OFFICE", "outcome", "REFUSED").count());
        assertEquals(1, meters.counter("notifier.deliveries", "role", "unknown", "outcome", "REFUSED").count());
        assertTrue(notifier.isRunning());
    }

    @Test
    void stoppingTheNotifierMidStreamAndStartingItAgainLosesNothing() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver()
                .on("/office", (id, body, n) -> flaky(id, n))
                .on("/department", (id, body, n) -> flaky(id, n))
                .on("/leadership", (id, body, n) -> flaky(id, n));
        open.add(receiver);
        String namespace = "notifier-restart-" + System.nanoTime() + ".";
        // A small bound, so that partitions are paused and resumed on the way.
        OpinionWatchConfig config = config(receiver, namespace, 3);
        List<Role> roles = List.of(Role.OFFICE, Role.DEPARTMENT, Role.LEADERSHIP_GROUP);
        KafkaProducer<String, byte[]> producer = producer(Map.of());
        for (int i = 0; i < 15; i++) {
            for (Role role : roles) {
                publish(producer, config, notification("inc-" + i, role, "first"));
            }
        }
        producer.flush();

        Notifier first = Notifier.start(config, new SimpleMeterRegistry());
        deliveries(config, read -> ids(read, Delivery.Outcome.DELIVERED).size() >= 15);
        long closing = System.nanoTime();
        first.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
        assertTrue(closeTook.compareTo(Duration.ofSeconds(15)) < 0, "closes promptly, retries in progress abandoned: " + closeTook);
        assertTrue(first.failure().isEmpty(), () -> first.failure().get().toString());

        for (int i = 0; i < 15; i++) {
            for (Role role : roles) {
                publish(producer, config, notification("inc-" + i, role, "second"));
            }
        }
        producer.flush();
        try (Notifier second = Notifier.start(config, new SimpleMeterRegistry())) {
            List<Delivery> records = deliveries(config, read -> ids(read, Delivery.Outcome.DELIVERED).containsAll(published.keySet()));
            assertEquals(published.keySet(), ids(records, Delivery.Outcome.DELIVERED));
        }
        Set<String> taken = receiver.received().stream().filter(r -> r.answered() == 200).map(Received::id).collect(Collectors.toSet());
        assertEquals(published.keySet(), taken, "every notification was taken by its webhook");
        assertSignedAndIntact(receiver.received());

        // Everything finished was committed: a third run would have nothing to do.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.notifier().groupId())
                    .partitionsToOffsetAndMetadata().get();
            String topic = config.topicNames().notifications().name();
            Map<TopicPartition, OffsetSpec> latest = List.of(0, 1, 2).stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            admin.listOffsets(latest).all().get().forEach((tp, end) ->
                    assertEquals(end.offset(), committed.get(tp).offset(), "committed to the end of " + tp));
        }
        long sent = receiver.received().stream().filter(r -> r.answered() == 200).count();
        System.out.printf("restart: %d notifications, %d taken by the webhooks (%d again after the restart or a timeout), %d requests%n",
                published.size(), sent, sent - published.size(), receiver.received().size());
    }
}
