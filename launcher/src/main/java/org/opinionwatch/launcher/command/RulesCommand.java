package org.opinionwatch.launcher.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.launcher.pipeline.Pipeline;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Changes the running classifiers' rules: the rules file is checked like the config, then published on the
 * compacted classifier.rules topic, which every classifier instance reads into a global store and applies to the next
 * post. {@code --show} prints the rules in force.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Publishes classifier rules (subjects, lexicons, thresholds, watch periods, hysteresis, grouping) "
                + "to the running classifiers, or shows the rules in force.")
public final class RulesCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @ArgGroup(multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--publish", paramLabel = "RULES.yaml",
                description = "Rules file: keys of the classifier section that are rules; what it leaves out stays as in the config.")
        Path publish;

        @Option(names = "--show", description = "Print the rules in force as JSON.")
        boolean show;
    }

    @Override
    public Integer call() throws Exception {
        OpinionWatchConfig settings = cluster.running(cluster.load());
        String topic = settings.topicNames().rules().name();
        if (action.show) {
            String json = latest(settings, topic);
            System.out.println(json != null ? json : new String(Topics.RULES.serialize(topic, settings.classifier().rules()), StandardCharsets.UTF_8));
            System.err.println(json != null ? "(published on " + topic + ")" : "(none published on " + topic + ": the config file's rules are in force)");
            return 0;
        }
        OpinionWatchConfig.Rules rules = ConfigLoader.loadRules(action.publish, settings);
        TopicSetup.create(settings, false);
        try (KafkaProducer<String, OpinionWatchConfig.Rules> producer = new KafkaProducer<>(KafkaClients.settings(settings.kafka(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), Topics.RULES.serializer())) {
            var sent = producer.send(new ProducerRecord<>(topic, Topics.RULES_KEY, rules)).get();
            System.out.println("Published the rules of " + action.publish + " on " + topic + " (offset " + sent.offset() + "): "
                    + rules.subjects().size() + " subjects; the classifiers apply them to their next post.");
        }
        return 0;
    }

    /** The latest rules record on the topic, read from its start to its end, or null. */
    private static String latest(OpinionWatchConfig settings, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClients.readingToEnd(settings.kafka(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            String latest = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (Topics.RULES_KEY.equals(r.key())) {
                        latest = r.value();
                    }
                }
            }
            return latest;
        }
    }
}
