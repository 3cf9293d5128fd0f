package org.opinionwatch.launcher.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;

/**
 * Writes post snapshots of a namespace's {@code posts.raw} back into a JSON Lines archive, the format that
 * {@code replay --format jsonl} reads: today's incident becomes tomorrow's replay case. The topic is read from its
 * beginning to its end as the export starts, so an export of a live cluster ends.
 */
public final class PostsExport {
    /** How long the cluster may take to answer at all. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private PostsExport() {
    }

    /**
     * What an export did.
     *
     * @param read the records of posts.raw read
     * @param unreadable those that are not a post/1 (left out), with where the first of them is
     */
    public record Result(long read, long written, long posts, long unreadable, String firstUnreadable) {
    }

    /** Reads posts.raw, keeps what {@code selection} keeps, and writes it to {@code output} (gzip if it ends in .gz). */
    public static Result run(OpinionWatchConfig.Kafka kafka, Topics topics, Selection selection, Path output) {
        String topic = topics.postsRaw().name();
        record Kept(long time, int partition, long offset, Post post) {
        }
        List<Kept> kept = new ArrayList<>();
        long read = 0;
        long unreadable = 0;
        String firstUnreadable = null;
        try (var consumer = new KafkaConsumer<>(KafkaClients.readingToEnd(kafka, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, ANSWER_WITHIN).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no topic " + topic + " at " + kafka.bootstrapServers() + ": is the namespace right?");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, ANSWER_WITHIN);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // arrived after the export started
                    }
                    if (r.key() == null && Topics.HEARTBEAT.hasOwnSchema(r.value())) {
                        continue; // ingest's heartbeat among the posts: the archive's replay sends its own
                    }
                    read++;
                    Post post;
                    try {
                        post = Topics.POST.deserialize(topic, r.value());
                        if (post == null) {
                            throw new SerializationException("no value");
                        }
                    } catch (SerializationException | IllegalArgumentException e) {
                        unreadable++;
                        firstUnreadable = firstUnreadable != null ? firstUnreadable : r.topic() + "-" + r.partition() + "@" + r.offset()
                                + ": " + e.getMessage();
                        continue;
                    }
                    if (selection.test(post)) {
                        kept.add(new Kept(post.observedAt().toEpochMilli(), r.partition(), r.offset(), post));
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("no answer from the Kafka cluster at " + kafka.bootstrapServers() + " within "
                    + ANSWER_WITHIN.toSeconds() + " s: nothing was exported", e);
        }
        // Event-time order, as an archive is replayed; the snapshots of one post (one partition) keep theirs.
        kept.sort(Comparator.comparingLong(Kept::time).thenComparingInt(Kept::partition).thenComparingLong(Kept::offset));
        List<Post> posts = kept.stream().map(Kept::post).toList();
        write(posts, output);
        return new Result(read, posts.size(), posts.stream().map(Post::id).distinct().count(), unreadable, firstUnreadable);
    }

    /**
     * One {@code post/1} object per line, exactly as on posts.raw; gzip-compressed when the file's name ends in
     * {@code .gz}. Written beside the target first, so a failed export leaves no half-written archive.
     */
    static void write(List<Post> posts, Path output) {
        Path absolute = output.toAbsolutePath();
        Path partial = null;
        try {
            partial = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".part");
            try (OutputStream file = Files.newOutputStream(partial);
                 OutputStream out = absolute.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(file, 64 * 1024) : file) {
                for (Post post : posts) {
                    out.write(Topics.POST.serialize("", post));
                    out.write('\n');
                }
            }
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                if (partial != null) {
                    Files.deleteIfExists(partial);
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }
}
