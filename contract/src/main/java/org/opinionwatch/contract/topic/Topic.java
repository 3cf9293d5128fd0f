package org.opinionwatch.contract.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the wire contract: its full name (namespace prefix included) with the serdes of its keys and values.
 *
 * @param compacted whether the topic keeps only the latest record per key
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
}
