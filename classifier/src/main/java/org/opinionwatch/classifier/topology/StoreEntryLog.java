package org.opinionwatch.classifier.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.window.IncidentEntries;
import org.opinionwatch.classifier.window.MemoryEntryLog;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * A task's window entries in a key-value store, keyed {@code incidentId@instant} with the instant written so that
 * keys sort by time; entries leave the store exactly when they leave the window. The entries of recently used
 * incidents are also kept in memory, sorted by instant ({@link IncidentEntries}): RocksDB range scans and reads of
 * entries were a large share of the classifier's thread (its commit has the figures). Every write goes through to the store (and its
 * changelog); an incident not in memory is read back with one range scan. The processor that makes one in
 * {@code init} is its store's only writer.
 */
final class StoreEntryLog {
    private final KeyValueStore<String, WindowEntry> store;
    private final Map<String, MemoryEntryLog> recent;

    /** @param capacity how many incidents' entries are kept in memory */
    StoreEntryLog(KeyValueStore<String, WindowEntry> store, int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MemoryEntryLog> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The entries of one incident: read in memory, written through to the store. */
    IncidentEntries of(String incidentId) {
        // A put of null is a delete that does not read the old value back first, as KeyValueStore.delete does.
        return new IncidentEntries(recent.computeIfAbsent(incidentId, this::load), (at, entry) -> store.put(key(incidentId, at), entry));
    }

    private MemoryEntryLog load(String incidentId) {
        MemoryEntryLog entries = new MemoryEntryLog();
        try (KeyValueIterator<String, WindowEntry> it = store.range(key(incidentId, Long.MIN_VALUE), key(incidentId, Long.MAX_VALUE))) {
            it.forEachRemaining(kv -> entries.put(instantOf(kv.key), kv.value));
        }
        return entries;
    }

    /** The instant as sortable hex (its sign bit flipped): the entries of an incident sort by time, negatives included. */
    private static String key(String incidentId, long at) {
        return incidentId + "@" + SortableKeys.hex(at);
    }

    private static long instantOf(String key) {
        return Long.parseUnsignedLong(key.substring(key.lastIndexOf('@') + 1), 16) ^ Long.MIN_VALUE;
    }
}
