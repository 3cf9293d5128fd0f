package org.opinionwatch.classifier.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.opinionwatch.classifier.incident.Increment;

/**
 * Partitions the story grouper's input: a story by its subject, as the producer's default partitioner does with the
 * key; a task's watermark to every partition, since every grouper task waits for every task's.
 */
final class StoryPartitioner implements StreamPartitioner<String, Increment> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Increment value, int numPartitions) {
        if (value.watermarkOf() != null) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.of(Set.of(bySubject(key, numPartitions)));
    }

    private static int bySubject(String key, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
