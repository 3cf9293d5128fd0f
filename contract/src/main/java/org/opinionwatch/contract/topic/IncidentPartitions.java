package org.opinionwatch.contract.topic;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition an incident lives on: where Kafka's default partitioner puts a record keyed by the incident id
 * (murmur2 of its UTF-8 bytes), so the same as a Kafka Streams repartition topic, the handover topic and the
 * classifier's interactive queries. Ingest sends each post of posts.raw (keyed by the post id, as the contract
 * says) to its incident's partition, the partition of its original post's id: the classifier then counts it
 * where it reads it, without a second trip through the broker, and an incident's posts stay in the order they were
 * published. A post that arrives on another partition (a producer that keys by post id) is moved there first.
 */
public final class IncidentPartitions {
    private IncidentPartitions() {
    }

    public static int of(String incidentId, int partitions) {
        return Utils.toPositive(Utils.murmur2(incidentId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
