package org.opinionwatch.classifier.topology;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topics;

/**
 * Parses posts.raw records inside the topology rather than in a deserializer, so that a record nobody can read
 * becomes a dead letter with its reason and its offset, in the same transaction, instead of stopping the app.
 */
final class PostParser implements FixedKeyProcessor<String, byte[], ParsedPost> {
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
    public void process(FixedKeyRecord<String, byte[]> record) {
        byte[] bytes = record.value();
        ParsedPost parsed;
        ClassifierMetrics.Rejection tag = ClassifierMetrics.Rejection.EMPTY_RECORD; // the kind of problem, for the meters; the dead letter says it in full
        try {
            if (bytes == null) {
                throw new SerializationException("empty record (null value)");
            }
            tag = ClassifierMetrics.Rejection.NOT_UTF_8;
            String json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            tag = ClassifierMetrics.Rejection.INVALID_POST;
            var post = Topics.POST.parse(json);
            tag = ClassifierMetrics.Rejection.KEY_MISMATCH;
            if (record.key() != null && !record.key().equals(post.id())) {
                throw new SerializationException("record key '" + record.key() + "' is not the post id '" + post.id() + "'");
            }
            int home = IncidentPartitions.of(post.rootId(), partitions);
            parsed = new ParsedPost(post, null, context.recordMetadata().map(m -> m.partition() == home).orElse(false));
        } catch (SerializationException | CharacterCodingException e) {
            metrics.rejected(tag);
            String reason = e instanceof CharacterCodingException ? "not valid UTF-8" : e.getMessage();
            String location = context.recordMetadata()
                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("unknown");
            String input = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
            parsed = new ParsedPost(null, DeadLetter.of(SOURCE, location, reason, input, Instant.now()), true);
        }
        context.forward(record.withValue(parsed));
    }
}
