package org.opinionwatch.classifier.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.SelfSerde;
import org.opinionwatch.contract.serde.Utf8;
import org.opinionwatch.contract.topic.Topics;

/**
 * Reads a posts.raw value once, as Kafka Streams takes the record in: the event time ({@link ObservedAt}) and the
 * parser ({@link PostParser}) both use what it read. It never throws: a value nobody can read is handed on with the
 * reason, so that it becomes a dead letter in the topology, with its offset and in the same transaction, instead
 * of stopping the application. Reading it once, not once for its time and again for itself, is measurable
 * (its commit has the figures).
 */
final class PostReader implements SelfSerde<PostReader.Read> {
    /**
     * A posts.raw value as read: the post, or a heartbeat (ingest's, behind the posts before it in the partition),
     * or why there is neither.
     *
     * @param value the record's value as it came (null for a record without one): its text only for a dead letter
     */
    record Read(Post post, Heartbeat heartbeat, ClassifierMetrics.Rejection rejection, String reason, byte[] value) {
        static Read rejected(ClassifierMetrics.Rejection rejection, String reason, byte[] value) {
            return new Read(null, null, rejection, reason, value);
        }

        /** The value as text, for a person reading a dead letter (bytes that are not UTF-8 shown as U+FFFD). */
        String input() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    /** Reads the JSON from the bytes themselves: decoding them into a string first would copy every post twice. */
    @Override
    public Read deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return Read.rejected(ClassifierMetrics.Rejection.EMPTY_RECORD, "empty record (null value)", null);
        }
        if (!Utf8.isWellFormed(bytes)) {
            return Read.rejected(ClassifierMetrics.Rejection.NOT_UTF_8, "not valid UTF-8", bytes);
        }
        if (Topics.HEARTBEAT.hasOwnSchema(bytes)) {
            try {
                return new Read(null, Topics.HEARTBEAT.deserialize(topic, bytes), null, null, bytes);
            } catch (SerializationException e) {
                return Read.rejected(ClassifierMetrics.Rejection.INVALID_POST, e.getMessage(), bytes);
            }
        }
        Post post;
        try {
            post = Topics.POST.deserialize(topic, bytes);
        } catch (SerializationException e) {
            return Read.rejected(ClassifierMetrics.Rejection.INVALID_POST, e.getMessage(), bytes);
        }
        // Whoever wrote it to posts.raw: a field outside the contract's bounds could make outputs too large to write.
        List<Limits.Violation> violations = Limits.violations(post);
        return violations.isEmpty() ? new Read(post, null, null, null, bytes) : Read.rejected(ClassifierMetrics.Rejection.OUT_OF_BOUNDS,
                violations.stream().map(Limits.Violation::toString).collect(Collectors.joining("; ")), bytes);
    }

    /** Written back as the bytes it was read from (Kafka Streams asks a source for a whole serde). */
    @Override
    public byte[] serialize(String topic, Read read) {
        return read == null ? null : read.value();
    }
}
