package org.opinionwatch.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.archive.ArchiveContents;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.archive.Archives;
import org.opinionwatch.ingest.publish.PostPublisher;

/** The ingest stage: archives in, {@code posts.raw} and {@code posts.dlq} out. */
public final class Ingest {
    private Ingest() {
    }

    /**
     * Reads an archive and publishes all its posts in event-time order and all its dead letters, then waits until
     * the broker acknowledged every one of them.
     *
     * @param producerBase producer settings, at least {@code bootstrap.servers}
     * @throws IOException if the archive cannot be read at all
     * @throws org.apache.kafka.common.KafkaException if a send failed
     */
    public static IngestReport publishArchive(ArchiveFormat format, Path input, Topics topics, Properties producerBase)
            throws IOException {
        ArchiveContents contents = Archives.read(format, input);
        List<Post> posts = contents.posts();
        try (PostPublisher publisher = new PostPublisher(topics, producerBase)) {
            posts.forEach(publisher::publish);
            contents.rejected().forEach(publisher::reject);
            publisher.flush();
            return new IngestReport(publisher.published(), publisher.rejected(),
                    posts.isEmpty() ? null : posts.get(0).observedAt(),
                    posts.isEmpty() ? null : posts.get(posts.size() - 1).observedAt());
        }
    }
}
