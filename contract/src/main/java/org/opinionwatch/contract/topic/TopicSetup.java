package org.opinionwatch.contract.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/** Creates the topics of a namespace as the stages need them, and waits until the broker serves them. */
public final class TopicSetup {
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(60);

    /**
     * Topic settings that take records of any time, for all of a replay's topics, the stages' own (changelogs,
     * repartition topics) included. A replay's clock runs a day past its archive's last post (the closing heartbeat,
     * the checkpoints and deadlines it fires), which for an archive of today is a day ahead of the broker's clock,
     * beyond the hour that {@code message.timestamp.after.max.ms} allows by default; and an archive of any past year
     * must replay even where the broker bounds the past. Live topics keep the broker's bounds.
     */
    public static final Map<String, String> ANY_TIMESTAMP = Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE),
            TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE));

    private TopicSetup() {
    }

    /** {@link #create(Admin, OpinionWatchConfig, boolean)} with an admin client of its own. */
    public static void create(OpinionWatchConfig config, boolean keepForever) {
        try (Admin admin = Admin.create(KafkaClients.settings(config.kafka()))) {
            create(admin, config, keepForever);
        }
    }

    /**
     * Creates every topic of the namespace that does not exist yet. The topics a stage reads together share one
     * partition count, so a stage's tasks see an incident's records and the clock side by side. On a cluster with
     * ACLs, a client that may not create topics goes on when they exist (created by {@code opinion-watch topics}).
     *
     * @param keepForever whether the topics are a replay's: they keep every record, as a replay's must, since its
     *     records carry the archive's historical timestamps, which time-based retention would delete at once, and
     *     compaction would take the history of the incidents topic (every state, for the report); and they take
     *     records of any time ({@link #ANY_TIMESTAMP})
     */
    public static void create(Admin admin, OpinionWatchConfig config, boolean keepForever) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<String, ?> t : config.topicNames().all()) {
            NewTopic topic = new NewTopic(t.name(), config.kafka().partitions(), config.kafka().replicationFactor());
            Map<String, String> configs = new java.util.HashMap<>();
            if (keepForever) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                configs.putAll(ANY_TIMESTAMP);
            } else if (t.compacted()) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            topics.add(topic.configs(configs));
        }
        List<String> notCreatable = new ArrayList<>();
        for (var result : admin.createTopics(topics).values().entrySet()) {
            try {
                result.getValue().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    notCreatable.add(result.getKey());
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
        requireExisting(admin, notCreatable);
        awaitServed(admin, topics.stream().map(NewTopic::name).toList());
    }

    /** The topics this client was not allowed to create must be there already: an administrator's to create. */
    private static void requireExisting(Admin admin, List<String> names) {
        for (var description : admin.describeTopics(names).topicNameValues().entrySet()) {
            try {
                description.getValue().get(SERVED_WITHIN.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot create topic " + description.getKey() + ": this client is not allowed to, "
                        + "and it does not exist (" + (e.getCause() == null ? e : e.getCause()).getMessage() + "); create the "
                        + "namespace's topics with 'opinion-watch topics' as a user who may (docs/kafka-security.md)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topics", e);
            }
        }
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
}
