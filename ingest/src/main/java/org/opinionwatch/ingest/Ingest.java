package org.opinionwatch.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.archive.ArchiveContents;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.archive.Archives;
import org.opinionwatch.ingest.poll.SourceMetrics;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.ingest.publish.PublishOrder;

/** The ingest stage: archives in, {@code posts.raw} and {@code posts.dlq} out. */
public final class Ingest {
    /** How far an archive's clock moves between the heartbeats sent along it: an hour of the archive's time. */
    static final Duration ARCHIVE_HEARTBEAT_EVERY = Duration.ofHours(1);

    private Ingest() {
    }

    /** The archive's heartbeats: at the first post, then at the first post an hour or more after the last heartbeat. */
    static List<Instant> heartbeats(List<Post> inTimeOrder) {
        List<Instant> heartbeats = new java.util.ArrayList<>();
        for (Post post : inTimeOrder) {
            if (heartbeats.isEmpty() || !post.observedAt().isBefore(heartbeats.get(heartbeats.size() - 1).plus(ARCHIVE_HEARTBEAT_EVERY))) {
                heartbeats.add(post.observedAt());
            }
        }
        return heartbeats;
    }

    /**
     * Reads an archive whole, its posts sorted in event time; posts out of the archive bounds of {@code settings.limits()}
     * (any time from the earliest on) are dead letters. Apart from {@link #publishArchive} so that a replay can read
     * while its stages start.
     *
     * @throws IOException if the archive cannot be read at all
     */
    public static ReadArchive readArchive(ArchiveFormat format, Path input, OpinionWatchConfig.Ingest settings) throws IOException {
        Instant start = Instant.now();
        ArchiveContents contents = Archives.read(format, input, PostBounds.archive(settings.limits()));
        Instant read = Instant.now();
        return new ReadArchive(format, contents, Duration.between(start, read), read);
    }

    /**
     * Publishes all of a read archive's posts in {@code order} and all its dead letters, then waits until the broker
     * acknowledged every one of them. The archive is a source of its own in the meters (tagged with the format's id):
     * reading it was its one fetch.
     *
     * @param producerBase producer settings, at least {@code bootstrap.servers}
     * @param settings the limits and delivery settings
     * @param listener told of the posts as they are sent, and may hold each back until its time
     * @param partitions the partitions of posts.raw, which {@link PublishOrder#PARTITION} goes through one by one
     * @throws org.apache.kafka.common.KafkaException if the broker took nothing for the delivery timeout
     */
    public static IngestReport publishArchive(ReadArchive archive, Topics topics, Properties producerBase,
                                              OpinionWatchConfig.Ingest settings, MeterRegistry registry,
                                              ArchiveListener listener, PublishOrder order, int partitions) {
        SourceMetrics metrics = new SourceMetrics(registry, archive.format().id());
        metrics.fetched(archive.took(), true, archive.at());
        PostBounds bounds = PostBounds.archive(settings.limits());
        ArchiveContents contents = archive.contents();
        List<Post> posts = contents.posts();
        listener.read(posts);
        try (PostPublisher publisher = new PostPublisher(topics, producerBase, bounds, settings.delivery())) {
            // Heartbeats along the archive, when its clock has moved on an hour, as live ingest's wall clock does: the
            // classifier decides what came before one without waiting for the archive's end. In event-time order each
            // goes after the posts before it; published partition by partition, all go after the last partition's
            // posts (only then are they true). The same heartbeats either way: the clock topic does not depend on it.
            List<Instant> heartbeats = heartbeats(posts);
            int next = 0;
            for (Post post : order.arrange(posts, partitions)) {
                while (order == PublishOrder.TIME && next < heartbeats.size() && !heartbeats.get(next).isAfter(post.observedAt())) {
                    publisher.heartbeat(heartbeats.get(next++), "archive");
                }
                listener.sending(post);
                publisher.publish(post);
                metrics.published();
            }
            while (next < heartbeats.size()) {
                publisher.heartbeat(heartbeats.get(next++), "archive");
            }
            for (DeadLetter rejected : contents.rejected()) {
                publisher.reject(rejected);
                metrics.rejected(SourceMetrics.Rejection.INVALID_RECORD);
            }
            publisher.flush();
            return new IngestReport(publisher.published(), publisher.rejected(),
                    posts.isEmpty() ? null : posts.get(0).observedAt(),
                    posts.isEmpty() ? null : posts.get(posts.size() - 1).observedAt());
        }
    }
}
