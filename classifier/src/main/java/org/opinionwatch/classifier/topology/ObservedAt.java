package org.opinionwatch.classifier.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The event time of a posts.raw record: the post's {@code observedAt} (a heartbeat's time), whatever time the producer
 * gave the record.
 * The classifier's timers (falls, subsidings) fire on the stream time of the task that reads posts.raw, so a
 * producer that leaves the record time to the wall clock must not move an archive's incidents years ahead. The
 * value is already read ({@link PostReader}). A record that could not be read keeps its partition's time: the
 * parser then sends it to posts.dlq with the reason, and stream time does not move.
 */
final class ObservedAt implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long observedAt = -1;
        if (record.value() instanceof PostReader.Read read) {
            observedAt = read.post() != null ? read.post().observedAt().toEpochMilli()
                    : read.heartbeat() != null ? read.heartbeat().time().toEpochMilli() : -1;
        }
        return observedAt >= 0 ? observedAt : Math.max(partitionTime, 0);
    }
}
