package org.opinionwatch.classifier.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.window.EntryLog;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * One incident's window entries in a key-value store, keyed {@code incidentId@instant} with the instant written
 * so that keys sort by time; entries leave the store exactly when they leave the window.
 */
final class StoreEntryLog implements EntryLog {
    private final KeyValueStore<String, WindowEntry> store;
    private final String incidentId;

    StoreEntryLog(KeyValueStore<String, WindowEntry> store, String incidentId) {
        this.store = store;
        this.incidentId = incidentId;
    }

    @Override
    public WindowEntry get(long at) {
        return store.get(key(at));
    }

    @Override
    public void put(long at, WindowEntry entry) {
        store.put(key(at), entry);
    }

    @Override
    public Long earliestAfter(long fromExclusive) {
        // Starting right after the window's start seeks past the deleted (expired) entries instead of through them.
        try (KeyValueIterator<String, WindowEntry> it = store.range(key(fromExclusive + 1), key(Long.MAX_VALUE))) {
            return it.hasNext() ? instantOf(it.next().key) : null;
        }
    }

    @Override
    public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
        List<KeyValue<String, WindowEntry>> expired = stored(fromExclusive, toInclusive);
        expired.forEach(kv -> remove(kv.key));
        return expired.stream().map(kv -> kv.value).toList();
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
                return StoreEntryLog.this.earliestAfter(fromExclusive);
            }

            @Override
            public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
                return stored(fromExclusive, toInclusive).stream().map(kv -> kv.value).toList();
            }
        };
    }

    /** The incident's entries in (fromExclusive, toInclusive], by instant, earliest first; the store is unchanged. */
    List<KeyValue<Long, WindowEntry>> range(long fromExclusive, long toInclusive) {
        return stored(fromExclusive, toInclusive).stream().map(kv -> KeyValue.pair(instantOf(kv.key), kv.value)).toList();
    }

    /** {@link #range}, with the store's keys. */
    private List<KeyValue<String, WindowEntry>> stored(long fromExclusive, long toInclusive) {
        List<KeyValue<String, WindowEntry>> found = new ArrayList<>();
        if (fromExclusive < toInclusive) {
            try (KeyValueIterator<String, WindowEntry> it = store.range(key(fromExclusive + 1), key(toInclusive))) {
                it.forEachRemaining(found::add);
            }
        }
        return found;
    }

    /** Removes and returns all of the incident's entries, by instant, earliest first. */
    List<KeyValue<Long, WindowEntry>> removeAll() {
        List<KeyValue<Long, WindowEntry>> all = range(Long.MIN_VALUE, Long.MAX_VALUE);
        all.forEach(kv -> remove(key(kv.key)));
        return all;
    }

    /** A delete that does not read the old value back first, as {@code KeyValueStore.delete} does to return it. */
    private void remove(String key) {
        store.put(key, null);
    }

    /** The instant as sortable hex (its sign bit flipped): the entries of an incident sort by time, negatives included. */
    private String key(long at) {
        return incidentId + "@" + SortableKeys.hex(at);
    }

    private static long instantOf(String key) {
        return Long.parseUnsignedLong(key.substring(key.lastIndexOf('@') + 1), 16) ^ Long.MIN_VALUE;
    }
}
