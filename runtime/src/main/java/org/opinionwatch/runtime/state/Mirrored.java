package org.opinionwatch.runtime.state;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's small key-value store held whole in memory too, in key order: for a store looked up on every record,
 * where even a lookup of nothing costs a RocksDB read or range scan (the classifier's joined stories, the
 * escalation's silences). Loaded once when the processor starts; the processor that makes one in {@code init}
 * is its store's only writer and writes through it, so what it holds is what the store (and its changelog) holds,
 * or, {@link #deferred}, will hold at the commit.
 * Unlike {@link RecentlyUsed} it never reads the store again, so it suits only stores that stay small.
 */
public final class Mirrored<V> {
    private final TreeMap<String, V> all = new TreeMap<>();
    private final Writes<V> writes;

    /** Every write goes to the store at once. */
    public Mirrored(KeyValueStore<String, V> store) {
        this(store, false);
    }

    /**
     * Writes go to the store at {@link #writeAll}, called by the processor's {@link CommitHook}: for a buffer whose
     * values come and go, each written once per commit if at all. The store must not keep a record cache.
     */
    public static <V> Mirrored<V> deferred(KeyValueStore<String, V> store) {
        return new Mirrored<>(store, true);
    }

    private Mirrored(KeyValueStore<String, V> store, boolean deferred) {
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        this.writes = new Writes<>(store, deferred, all.keySet());
    }

    public V get(String key) {
        return all.get(key);
    }

    public void put(String key, V value) {
        writes.put(key, value);
        all.put(key, value);
    }

    /** Removes the key: a delete that does not read the old value back first, as {@code KeyValueStore.delete} does. */
    public void remove(String key) {
        writes.remove(key);
        all.remove(key);
    }

    /** Writes what is deferred to the store. */
    public void writeAll() {
        writes.writeAll();
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
