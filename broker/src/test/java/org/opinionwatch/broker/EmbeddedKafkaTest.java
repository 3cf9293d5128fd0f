package org.opinionwatch.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class EmbeddedKafkaTest {

    @Test
    void transactionalRecordsAreReadCommitted() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0)) {
            String bootstrap = kafka.bootstrapServers();
            assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
            try (Admin admin = admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("opinions", 3, (short) 1))).all().get();
                assertEquals(3, served(admin, "opinions"));
            }

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.initTransactions();

                // An aborted transaction first: read_committed must never show it.
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("opinions", 0, "k", "aborted"));
                producer.flush();
                producer.abortTransaction();

                producer.beginTransaction();
                for (int partition = 0; partition < 3; partition++) {
                    producer.send(new ProducerRecord<>("opinions", partition, "k" + partition, "v" + partition));
                }
                producer.commitTransaction();
            }

            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                consumer.subscribe(List.of("opinions"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
                // Give a stray aborted record a chance to show up before asserting.
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertEquals(Set.of("v0", "v1", "v2"), new TreeSet<>(values));
            assertEquals(3, values.size(), values.toString());
        }
    }

    @Test
    void twoBrokersRunSideBySide() throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.start(null, 0);
             EmbeddedKafka second = EmbeddedKafka.start(null, 0);
             Admin firstAdmin = admin(first.bootstrapServers());
             Admin secondAdmin = admin(second.bootstrapServers())) {
            assertNotEquals(first.bootstrapServers(), second.bootstrapServers());

            // Independent clusters: a topic created on one does not exist on the other.
            firstAdmin.createTopics(List.of(new NewTopic("only-on-first", 1, (short) 1))).all().get();
            secondAdmin.createTopics(List.of(new NewTopic("only-on-second", 1, (short) 1))).all().get();
            assertEquals(Set.of("only-on-first"), firstAdmin.listTopics().names().get());
            assertEquals(Set.of("only-on-second"), secondAdmin.listTopics().names().get());
            assertNotEquals(firstAdmin.describeCluster().clusterId().get(),
                    secondAdmin.describeCluster().clusterId().get());
        }
    }

    @Test
    void restartsOnAGivenDataDirectory(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0); Admin admin = admin(kafka.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0); Admin admin = admin(kafka.bootstrapServers())) {
            assertEquals(Set.of("kept"), admin.listTopics().names().get());
        }
    }

    @Test
    void sharedBrokerIsReused() {
        assertEquals(EmbeddedKafka.shared(), EmbeddedKafka.shared());
    }

    /** PLAIN: the users are the broker's; a wrong password is refused at once, no credentials at all get no answer. */
    @Test
    void aSaslListenerServesOnlyUsersWithTheirPassword() throws Exception {
        String password = "a;b='c' {d} 第二 $-_";
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Sasl("PLAIN", Map.of("alice", password), Set.of()))) {
            try (Admin alice = admin(sasl(kafka, "PLAIN", "alice", password))) {
                alice.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
                // The controller has the topic once createTopics returns; the broker's metadata can be a moment behind.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!alice.listTopics().names().get().contains("secured") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(Set.of("secured"), alice.listTopics().names().get());
            }
            try (Admin wrong = admin(sasl(kafka, "PLAIN", "alice", "guess"))) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> wrong.listTopics().names().get());
                assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            }
            try (Admin anonymous = admin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> anonymous.listTopics().names().get());
                assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause());
            }
        }
    }

    /** SCRAM: users added through the controller once the broker runs; with super users, ACLs decide the rest. */
    @Test
    void scramUsersLogInAndAclsDecideWhatTheyMayDo() throws Exception {
        var sasl = new EmbeddedKafka.Sasl("SCRAM-SHA-512", Map.of("admin", "admin-secret", "reader", "reader-secret"), Set.of("admin"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(sasl);
             Admin admin = admin(sasl(kafka, "SCRAM-SHA-512", "admin", "admin-secret"));
             Admin reader = admin(sasl(kafka, "SCRAM-SHA-512", "reader", "reader-secret"))) {
            admin.createTopics(List.of(new NewTopic("acl-guarded", 1, (short) 1))).all().get();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> reader.describeTopics(List.of("acl-guarded")).allTopicNames().get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());

            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "acl-", PatternType.PREFIXED),
                    new AccessControlEntry("User:reader", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)))).all().get();
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) { // an ACL reaches the broker through the metadata log, a moment after it is created
                try {
                    assertEquals(1, reader.describeTopics(List.of("acl-guarded")).allTopicNames().get().get("acl-guarded").partitions().size());
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicAuthorizationException) || System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    @Test
    void saslUsersAreCheckedBeforeTheBrokerStarts() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafka.Sasl("GSSAPI", Map.of("a", "b"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafka.Sasl("PLAIN", Map.of("a", "quote\"d"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafka.Sasl("PLAIN", Map.of("a b", "x"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafka.Sasl("PLAIN", Map.of("a", "x"), Set.of("root")));
    }

    private static Map<String, Object> sasl(EmbeddedKafka kafka, String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, mechanism,
                SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\"" + password + "\";");
    }

    private static Admin admin(String bootstrap) {
        return admin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static Admin admin(Map<String, Object> settings) {
        return Admin.create(settings);
    }

    /**
     * The topic's partition count once the broker serves it: the controller has recorded a created topic a moment
     * before the broker's metadata has it, and a busy machine stretches that moment.
     */
    private static int served(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
