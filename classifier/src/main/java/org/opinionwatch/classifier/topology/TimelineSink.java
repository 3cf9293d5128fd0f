package org.opinionwatch.classifier.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;

/**
 * How the incident processor's updates are written to {@code classifier.timeline}: as timeline entries, an incident's
 * to its partition (the same as on the contract topics), how far the task has decided to the task's own partition,
 * behind every decision the task wrote there.
 */
final class TimelineSink {
    private TimelineSink() {
    }

    private static final byte[] STATE = bytes("{\"state\":");
    private static final byte[] CHANGE = bytes(",\"change\":");
    private static final byte[] FORECAST = bytes(",\"forecast\":");
    private static final byte[] NOT_REACHED = bytes(",\"reached\":null}");
    private static final byte[] NULL = bytes("null");

    /**
     * A decision as {@code Topics.TIMELINE} writes it, byte for byte (TimelineSinkTest), around the state's JSON already
     * written for {@code incidents}: the largest part of the entry is not written twice.
     */
    static byte[] decided(IncidentUpdate u) {
        byte[] change = u.change() == null ? NULL : Topics.SEVERITY_CHANGE.object(u.change());
        byte[] forecast = u.forecast() == null ? NULL : Topics.FORECAST.object(u.forecast());
        ByteBuffer out = ByteBuffer.allocate(STATE.length + u.stateJson().length + CHANGE.length + change.length + FORECAST.length
                + forecast.length + NOT_REACHED.length);
        out.put(STATE).put(u.stateJson()).put(CHANGE).put(change).put(FORECAST).put(forecast).put(NOT_REACHED);
        return Topics.TIMELINE.stamp(out.array());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Produced<String, IncidentUpdate> produced(Topic<String, TimelineEntry> topic) {
        // Written only: nothing reads the updates back as updates.
        Serde<IncidentUpdate> values = Serdes.serdeFrom((name, u) -> u.stateJson() == null
                        ? topic.valueSerde().serializer().serialize(name, u.timelineEntry()) : decided(u),
                (name, bytes) -> {
                    throw new UnsupportedOperationException("the timeline is read as " + TimelineEntry.class.getSimpleName());
                });
        StreamPartitioner<String, IncidentUpdate> partitioner = (name, key, u, partitions) ->
                Optional.of(Set.of(u.reached() != null ? u.partition() : IncidentPartitions.of(key, partitions)));
        return Produced.with(topic.keySerde(), values, partitioner).withName(ClassifierTopology.sinkName(topic));
    }
}
