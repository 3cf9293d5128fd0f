package org.opinionwatch.classifier.topology;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topic;

/**
 * How the incident processor's updates are written to {@code classifier.timeline}: as timeline entries, an incident's
 * to its partition (the same as on the contract topics), how far the task has decided to the task's own partition,
 * behind every decision the task wrote there.
 */
final class TimelineSink {
    private TimelineSink() {
    }

    static Produced<String, IncidentUpdate> produced(Topic<String, TimelineEntry> topic) {
        // Written only: nothing reads the updates back as updates.
        Serde<IncidentUpdate> values = Serdes.serdeFrom((name, u) -> topic.valueSerde().serializer().serialize(name, u.timelineEntry()),
                (name, bytes) -> {
                    throw new UnsupportedOperationException("the timeline is read as " + TimelineEntry.class.getSimpleName());
                });
        StreamPartitioner<String, IncidentUpdate> partitioner = (name, key, u, partitions) ->
                Optional.of(Set.of(u.reached() != null ? u.partition() : IncidentPartitions.of(key, partitions)));
        return Produced.with(topic.keySerde(), values, partitioner).withName("to-" + topic.name().replace('.', '-'));
    }
}
