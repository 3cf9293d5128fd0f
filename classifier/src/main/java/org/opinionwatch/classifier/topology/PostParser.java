package org.opinionwatch.classifier.topology;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.topic.IncidentPartitions;

/**
 * Turns what {@link PostReader} read of a posts.raw record into a post to count, a heartbeat, or a dead letter with its reason and
 * its offset, in the same transaction; a post keyed by another id than its own is rejected here, where the key is known.
 */
final class PostParser implements FixedKeyProcessor<String, PostReader.Read, ParsedPost> {
    static final String SOURCE = "posts.raw";
    private final ClassifierMetrics metrics;
    private final int partitions;
    private FixedKeyProcessorContext<String, ParsedPost> context;

    /** @param partitions how many partitions posts.raw has: which of them is an incident's */
    PostParser(ClassifierMetrics metrics, int partitions) {
        this.metrics = metrics;
        this.partitions = partitions;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ParsedPost> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, PostReader.Read> record) {
        PostReader.Read read = record.value();
        ParsedPost parsed;
        if (read.post() != null && record.key() != null && !record.key().equals(read.post().id())) {
            read = PostReader.Read.rejected(ClassifierMetrics.Rejection.KEY_MISMATCH,
                    "record key '" + record.key() + "' is not the post id '" + read.post().id() + "'", read.value());
        }
        if (read.heartbeat() != null) {
            parsed = new ParsedPost(null, read.heartbeat(), null, true);
        } else if (read.post() != null) {
            int home = IncidentPartitions.of(read.post().rootId(), partitions);
            parsed = new ParsedPost(read.post(), null, null, context.recordMetadata().map(m -> m.partition() == home).orElse(false));
        } else {
            metrics.rejected(read.rejection());
            String location = context.recordMetadata()
                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("unknown");
            parsed = new ParsedPost(null, null, DeadLetter.of(SOURCE, location, read.reason(), read.input(), Instant.now()), true);
        }
        context.forward(record.withValue(parsed));
    }
}
