package org.opinionwatch.launcher.command;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.launcher.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Creates the namespace's topics once, before the stages start (a deployment's one-shot step), and prints what the
 * broker then has, so that the operator's log shows each topic's partitions and cleanup policy.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates every missing topic of the namespace (kafka.partitions partitions; the compacted ones "
                + "compacted), waits until the broker serves them, and prints each with its partitions and cleanup policy.")
public final class TopicsCommand implements Callable<Integer> {
    private static final long TIMEOUT_SECONDS = 30;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        OpinionWatchConfig config = cluster.running(cluster.load());
        try (Admin admin = Admin.create(KafkaClients.settings(config.kafka()))) {
            TopicSetup.create(admin, config, false);
            List<Topic<String, ?>> topics = config.topicNames().all();
            List<String> names = topics.stream().map(Topic::name).toList();
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream().map(TopicsCommand::resource).toList())
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int width = names.stream().mapToInt(String::length).max().orElse(0);
            System.out.println("Topics on " + config.kafka().bootstrapServers() + ":");
            for (Topic<String, ?> topic : topics) {
                int partitions = descriptions.get(topic.name()).partitions().size();
                String policy = configs.get(resource(topic.name())).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                System.out.printf("  %-" + width + "s  partitions %d  cleanup.policy=%s%n", topic.name(), partitions, policy);
                // Kafka keeps an existing topic as it is: a changed kafka.partitions, or a topic made by other means,
                // takes effect only by hand (adding partitions moves keys, so the operator has to decide).
                if (partitions != config.kafka().partitions()) {
                    System.err.printf("warning: %s has partitions %d, not kafka.partitions %d: an existing topic keeps its partitions%n",
                            topic.name(), partitions, config.kafka().partitions());
                }
                String expected = topic.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
                if (!policy.equals(expected)) {
                    System.err.printf("warning: %s has cleanup.policy=%s, the contract wants %s%n", topic.name(), policy, expected);
                }
            }
        }
        return 0;
    }

    private static ConfigResource resource(String topic) {
        return new ConfigResource(ConfigResource.Type.TOPIC, topic);
    }
}
