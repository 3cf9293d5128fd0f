package org.opinionwatch.classifier.topology;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.contract.topic.IncidentPartitions;

/**
 * Partitions a loop topic of the classifier: a record by its key, as the producer's default partitioner does (so
 * an incident's records meet the task of its posts.raw partition); a promise to every partition, since every task
 * downstream waits for every upstream task's.
 */
final class LoopPartitioner implements StreamPartitioner<String, Increment> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Increment value, int numPartitions) {
        if (value.promise() != null) {
            return every(numPartitions);
        }
        return Optional.of(Set.of(IncidentPartitions.of(key, numPartitions)));
    }

    /** Every partition of the topic: for what every task downstream must hear (promises, heartbeats). */
    static Optional<Set<Integer>> every(int numPartitions) {
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
    }
}
