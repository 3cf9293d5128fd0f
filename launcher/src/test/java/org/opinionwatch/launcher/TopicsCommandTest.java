package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.Topic;

/** {@code opinion-watch topics}, the deployment's one-shot step, against a real broker. */
class TopicsCommandTest {
    @TempDir
    Path dir;

    @Test
    void createsEveryTopicWithItsPartitionsAndCleanupPolicyAndPrintsThem() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String prefix = "topics-" + System.nanoTime() + ".";
        Path config = Files.writeString(dir.resolve("config.yaml"), "kafka: { partitions: 2 }\ntopics: { prefix: " + prefix + " }\n");
        OpinionWatchConfig settings = ConfigLoader.load(config, Map.of());

        CommandRun run = CommandRun.of("topics", "--bootstrap", bootstrap, "--config", config.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err(), "topics made by the command are as the config says: no warning");
        List<Topic<String, ?>> topics = settings.topicNames().all();
        List<String> lines = run.out().lines().toList();
        assertEquals("Topics on " + bootstrap + ":", lines.get(0));
        assertEquals(topics.size() + 1, lines.size(), run.out());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (int i = 0; i < topics.size(); i++) {
                Topic<String, ?> topic = topics.get(i);
                String policy = topic.compacted() ? "compact" : "delete";
                assertEquals(2, admin.describeTopics(List.of(topic.name())).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic.name()).partitions().size(), topic.name());
                assertEquals(policy, cleanupPolicy(admin, topic.name()), topic.name());
                assertTrue(lines.get(i + 1).matches("  " + java.util.regex.Pattern.quote(topic.name()) + " +partitions 2  cleanup\\.policy=" + policy),
                        lines.get(i + 1));
            }
        }
        assertTrue(topics.stream().anyMatch(Topic::compacted) && topics.stream().anyMatch(t -> !t.compacted()),
                "the contract has compacted and deleted topics, so both policies were checked");
    }

    @Test
    void aSecondRunLeavesTheTopicsAndReportsOneThatDiffersFromTheConfig() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String prefix = "topics-" + System.nanoTime() + ".";
        Path config = Files.writeString(dir.resolve("config.yaml"), "kafka: { partitions: 2 }\ntopics: { prefix: " + prefix + " }\n");
        String rules = prefix + "classifier.rules";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // Made by hand before the deployment: one partition, and not compacted.
            admin.createTopics(List.of(new NewTopic(rules, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);

            CommandRun first = CommandRun.of("topics", "--bootstrap", bootstrap, "--config", config.toString());
            CommandRun second = CommandRun.of("topics", "--bootstrap", bootstrap, "--config", config.toString());

            assertEquals(0, first.exit(), first.err());
            assertEquals(first.out(), second.out(), "running it again changes nothing");
            assertEquals(List.of(
                    "warning: " + rules + " has partitions 1, not kafka.partitions 2: an existing topic keeps its partitions",
                    "warning: " + rules + " has cleanup.policy=delete, the contract wants compact"), second.err().lines().toList());
            assertEquals(1, admin.describeTopics(List.of(rules)).allTopicNames().get(10, TimeUnit.SECONDS).get(rules).partitions().size());
            assertEquals("delete", cleanupPolicy(admin, rules));
        }
    }

    private static String cleanupPolicy(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}
