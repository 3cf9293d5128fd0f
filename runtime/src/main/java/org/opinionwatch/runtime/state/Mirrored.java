package org.opinionwatch.runtime.state;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's small key-value store held whole in memory too, in key order: for a store looked up on every record,
 * where even a lookup of nothing costs a RocksDB read or range scan (the classifier's joined stories, the
 * escalation's pending timers). Loaded once when the processor starts; the processor that makes one in {@code init}
 * is its store's only writer and writes through it, so what it holds is what the store (and its changelog) holds.
 * Unlike {@link RecentlyUsed} it never reads the store again, so it suits only stores that stay small.
 */
public final class Mirrored<V> {
    private final KeyValueStore<String, V> store;
    private final TreeMap<String, V> all = new TreeMap<>();

    public Mirrored(KeyValueStore<String, V> store) {
        this.store = store;
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
    }

    public V get(String key) {
        return all.get(key);
    }

    public void put(String key, V value) {
        store.put(key, value);
        all.put(key, value);
    }

    /** Removes the key: a delete that does not read the old value back first, as {@code KeyValueStore.delete} does. */
    public void remove(String key) {
        store.put(key, null);
        all.remove(key);
    }

    /** Every value, in key order; a view that the next write changes. */
    public java.util.Collection<V> values() {
        return java.util.Collections.unmodifiableCollection(all.values());
    }

    /** Every key, in order; a view that the next write changes. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(all.keySet());
    }

    /** The entry with the lowest key, or null when there is none. */
    public Map.Entry<String, V> first() {
        return all.firstEntry();
    }
}
