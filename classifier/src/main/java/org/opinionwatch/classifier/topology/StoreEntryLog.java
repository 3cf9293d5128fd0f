package org.opinionwatch.classifier.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.window.EntryLog;
import org.opinionwatch.classifier.window.MemoryEntryLog;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * A task's window entries in a key-value store, keyed {@code incidentId@instant} with the instant written so that
 * keys sort by time; entries leave the store exactly when they leave the window. The entries of recently used
 * incidents are also kept in memory, sorted by instant, so that moving a window, finding its next expiry and adding
 * to an instant read nothing back from the store: RocksDB range scans and reads of entries were a sixth of the
 * classifier's thread (BENCHMARKS.md). Every write goes through to the store (and its changelog); an incident not in
 * memory is read back with one range scan. The processor that makes one in {@code init} is its store's only writer.
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

    /** The entries of one incident. */
    Incident of(String incidentId) {
        return new Incident(incidentId, recent.computeIfAbsent(incidentId, this::load));
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

    /** One incident's entries: read in memory, written through to the store. */
    final class Incident implements EntryLog {
        private final String incidentId;
        private final MemoryEntryLog entries;

        private Incident(String incidentId, MemoryEntryLog entries) {
            this.incidentId = incidentId;
            this.entries = entries;
        }

        @Override
        public WindowEntry get(long at) {
            return entries.get(at);
        }

        @Override
        public void put(long at, WindowEntry entry) {
            store.put(key(incidentId, at), entry);
            entries.put(at, entry);
        }

        @Override
        public Long earliestAfter(long fromExclusive) {
            return entries.earliestAfter(fromExclusive);
        }

        @Override
        public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
            entries.between(fromExclusive, toInclusive).keySet().forEach(this::remove);
            return entries.removeRange(fromExclusive, toInclusive);
        }

        /**
         * This log as seen by a shorter window over the same entries (the forecast's recent window inside the level's
         * window): the longer window stores every entry and deletes it when it leaves, so the shorter one only reads
         * what leaves it. It must move before the longer window deletes, and add to its sums only.
         */
        EntryLog shorterWindow() {
            return new EntryLog() {
                @Override
                public WindowEntry get(long at) {
                    return null;
                }

                @Override
                public void put(long at, WindowEntry entry) {
                    // stored by the longer window
                }

                @Override
                public Long earliestAfter(long fromExclusive) {
                    return entries.earliestAfter(fromExclusive);
                }

                @Override
                public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
                    return List.copyOf(entries.between(fromExclusive, toInclusive).values());
                }
            };
        }

        /** The incident's entries in (fromExclusive, toInclusive], by instant, earliest first; nothing is removed. */
        List<KeyValue<Long, WindowEntry>> range(long fromExclusive, long toInclusive) {
            return entries.between(fromExclusive, toInclusive).entrySet().stream().map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList();
        }

        /** Removes and returns all of the incident's entries, by instant, earliest first. */
        List<KeyValue<Long, WindowEntry>> removeAll() {
            List<KeyValue<Long, WindowEntry>> all = range(Long.MIN_VALUE, Long.MAX_VALUE);
            removeRange(Long.MIN_VALUE, Long.MAX_VALUE);
            return all;
        }

        /** A delete that does not read the old value back first, as {@code KeyValueStore.delete} does to return it. */
        private void remove(long at) {
            store.put(key(incidentId, at), null);
        }
    }
}
