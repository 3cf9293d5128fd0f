package org.opinionwatch.launcher.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Collection;
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.topology.EscalationTopology;

/** The classifier and the escalation stage running together against one cluster, in one topic namespace. */
public final class Pipeline implements AutoCloseable {
    private static final Duration STALL = Duration.ofSeconds(120);
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(60);

    private final OpinionWatchConfig config;
    private final StageMetrics metrics;
    private final Admin admin;
    private final KafkaStreams classifier;
    /** Null until started: a replay starts it once the classifier has done all its work. */
    private KafkaStreams escalation;

    private Pipeline(OpinionWatchConfig config, StageMetrics metrics, Admin admin, KafkaStreams classifier) {
        this.config = config;
        this.metrics = metrics;
        this.admin = admin;
        this.classifier = classifier;
    }

    /**
     * @param keepForever whether the topics keep their records regardless of age: a replay's records carry the
     *     archive's historical timestamps, which time-based retention would delete at once
     */
    public static Pipeline start(OpinionWatchConfig config, boolean keepForever, StageMetrics metrics) {
        Pipeline pipeline = classifierOnly(config, keepForever, metrics);
        pipeline.startEscalation();
        return pipeline;
    }

    /**
     * The classifier alone, the escalation stage to be started with {@link #startEscalation}. A replay starts the
     * escalation once the classifier has classified everything: the escalation then finds every severity change and
     * incident state in place and takes them in event-time order, as a live run does, instead of taking whatever the
     * classifier has written so far (a partition momentarily empty lets Streams go on with the others), which made
     * bulletins and checkpoints near a subsiding differ from one replay to the next.
     */
    public static Pipeline classifierOnly(OpinionWatchConfig config, boolean keepForever, StageMetrics metrics) {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()));
        createTopics(admin, config, keepForever);
        return new Pipeline(config, metrics, admin, Classifier.start(config, new Properties(), metrics.classifier()));
    }

    public void startEscalation() {
        if (escalation == null) {
            escalation = Escalation.start(config, new Properties(), metrics.escalation());
        }
    }

    /** {@link #createTopics(Admin, OpinionWatchConfig, boolean)} with an admin client of its own. */
    public static void createTopics(OpinionWatchConfig config, boolean keepForever) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
            createTopics(admin, config, keepForever);
        }
    }

    /**
     * Creates every topic of the namespace that does not exist yet. The topics a stage reads together share one
     * partition count, so a stage's tasks see an incident's records and the clock side by side.
     */
    public static void createTopics(Admin admin, OpinionWatchConfig config, boolean keepForever) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<String, ?> t : config.topicNames().all()) {
            NewTopic topic = new NewTopic(t.name(), config.kafka().partitions(), config.kafka().replicationFactor());
            Map<String, String> configs = new java.util.HashMap<>();
            if (t.compacted()) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            } else if (keepForever) {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
            }
            topics.add(topic.configs(configs));
        }
        for (var result : admin.createTopics(topics).values().entrySet()) {
            try {
                result.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
        awaitServed(admin, topics.stream().map(NewTopic::name).toList());
    }

    /**
     * Waits until the broker serves every partition of {@code names}. A topic is created once the controller has
     * recorded it, which can be a moment before the broker serves it: a producer's first batch then fails with
     * NOT_LEADER_OR_FOLLOWER while its next ones land, and the retried first batch is refused as out of sequence
     * until it expires (two minutes); a Streams application that starts then finds its source topics missing and
     * stops. The partition leader answering ListOffsets means it is served.
     */
    public static void awaitServed(Admin admin, Collection<String> names) {
        long deadline = System.nanoTime() + SERVED_WITHIN.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + names, e);
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker does not serve " + names + ": "
                            + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** Waits until the classifier has processed every post published so far, what it wrote to read back too. */
    public void awaitClassified() {
        new ConsumerLag(admin).awaitZero(config.classifier().applicationId(), ClassifierTopology.readTopics(config), STALL,
                () -> isAlive(classifier));
    }

    /** Waits until the escalation stage has processed every severity change, incident state, action and heartbeat. */
    public void awaitEscalated() {
        new ConsumerLag(admin).awaitZero(config.escalation().applicationId(), EscalationTopology.readTopics(config),
                STALL, () -> isAlive(escalation));
    }

    private static boolean isAlive(KafkaStreams streams) {
        return streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.NOT_RUNNING
                && streams.state() != KafkaStreams.State.PENDING_ERROR;
    }

    /** Stops both stages and deletes their local state: it lives on in the changelog topics, and a run's is its own. */
    @Override
    public void close() {
        for (KafkaStreams stage : escalation == null ? List.of(classifier) : List.of(classifier, escalation)) {
            stage.close(Duration.ofSeconds(30));
            stage.cleanUp();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
