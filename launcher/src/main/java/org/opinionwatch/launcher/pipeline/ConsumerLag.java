package org.opinionwatch.launcher.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * How far a consumer group (a stage's application id) is behind the end of the topics it reads. Kafka Streams
 * commits the consumer's position, which steps over transaction markers, so a stage that has processed
 * everything has a lag of exactly zero even on transactional input.
 */
public final class ConsumerLag {
    private final Admin admin;

    public ConsumerLag(Admin admin) {
        this.admin = admin;
    }

    /**
     * Lag per partition of {@code topics}; a partition the group never committed counts from its first record (a
     * replay deletes the records it sorts before writing them again).
     */
    public Map<TopicPartition, Long> of(String groupId, Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> uncommitted = new HashMap<>();
            latest.keySet().stream().filter(tp -> committed.get(tp) == null).forEach(tp -> uncommitted.put(tp, OffsetSpec.earliest()));
            var first = uncommitted.isEmpty() ? Map.<TopicPartition, ListOffsetsResultInfo>of()
                    : admin.listOffsets(uncommitted).all().get();
            Map<TopicPartition, Long> lag = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, end) -> {
                OffsetAndMetadata c = committed.get(tp);
                lag.put(tp, end.offset() - (c != null ? c.offset() : first.get(tp).offset()));
            });
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the lag of " + groupId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the lag of " + groupId + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The lag of all the partitions together. */
    public static long total(Map<TopicPartition, Long> lag) {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Waits until the group has consumed everything in {@code topics}. Fails if the lag stops shrinking for
     * {@code stall}, or if {@code healthy} turns false (a stage died), naming what is left.
     */
    public void awaitZero(String groupId, Collection<String> topics, Duration stall, BooleanSupplier healthy) {
        awaitZero(groupId, topics, stall, healthy, remaining -> { });
    }

    /** {@link #awaitZero(String, Collection, Duration, BooleanSupplier)}, telling {@code progress} each total lag read. */
    public void awaitZero(String groupId, Collection<String> topics, Duration stall, BooleanSupplier healthy,
                          LongConsumer progress) {
        awaitZero(groupId, topics, stall, healthy, progress, Duration.ofMillis(100));
    }

    /** {@link #awaitZero(String, Collection, Duration, BooleanSupplier, LongConsumer)}, reading the lag {@code every} so often. */
    public void awaitZero(String groupId, Collection<String> topics, Duration stall, BooleanSupplier healthy,
                          LongConsumer progress, Duration every) {
        long lastTotal = Long.MAX_VALUE;
        Instant lastProgress = Instant.now();
        while (true) {
            Optional<Map<TopicPartition, Long>> lag = ofIfReady(groupId, topics);
            long total = lag.map(ConsumerLag::total).orElse(Long.MAX_VALUE);
            if (lag.isPresent()) {
                progress.accept(total);
            }
            if (total == 0) {
                return;
            }
            if (!healthy.getAsBoolean()) {
                throw new IllegalStateException(groupId + " stopped with records unprocessed: " + describe(lag, topics));
            }
            if (total < lastTotal) {
                lastTotal = total;
                lastProgress = Instant.now();
            } else if (Duration.between(lastProgress, Instant.now()).compareTo(stall) > 0) {
                throw new IllegalStateException(groupId + " made no progress for " + stall.toSeconds() + " s: " + describe(lag, topics));
            }
            sleep(every.toMillis());
        }
    }

    /**
     * Empty while one of the topics does not exist yet (a stage creates its internal topics as it starts), or while
     * the cluster cannot answer for a moment (a broker starting again, its group coordinator loading).
     */
    private Optional<Map<TopicPartition, Long>> ofIfReady(String groupId, Collection<String> topics) {
        try {
            return Optional.of(of(groupId, topics));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof RetriableException) { // an unknown topic too
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String describe(Optional<Map<TopicPartition, Long>> lag, Collection<String> topics) {
        return lag.map(l -> "lag " + l).orElse("not all of " + topics + " exist");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
