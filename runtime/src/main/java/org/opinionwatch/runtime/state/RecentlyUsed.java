package org.opinionwatch.runtime.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's key-value store with its most recently used values kept as objects, so that an incident or a post seen
 * again soon is not read back from JSON each time (reads were a large share of the classifier's time, and more of
 * the escalation's, which reads an incident's memory for every timer it fires; its commit has the figures). The processor that
 * makes one in {@code init} is its store's only writer and writes through it; values are immutable records, safe to
 * hand out.
 *
 * <p>Made {@link #deferred}, it writes a value to the store only when the processor's {@link CommitHook} calls
 * {@link #writeAll} before the commit, or when it leaves memory: a value put many times within a commit (an incident
 * at every increment) is serialized and logged once. The store then holds what was committed, which is what its
 * interactive queries see; this holds what the task has done since.
 */
public final class RecentlyUsed<V> {
    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;
    /** Values put and not yet written to the store, when deferred; in memory too, in {@code recent}. */
    private final Map<String, V> unwritten = new LinkedHashMap<>();
    private final boolean deferred;

    /** Every put written to the store at once. */
    public RecentlyUsed(KeyValueStore<String, V> store, int capacity) {
        this(store, capacity, false);
    }

    /** Puts written to the store at {@link #writeAll}: the store must not keep a record cache ({@link CommitHook}). */
    public static <V> RecentlyUsed<V> deferred(KeyValueStore<String, V> store, int capacity) {
        return new RecentlyUsed<>(store, capacity, true);
    }

    private RecentlyUsed(KeyValueStore<String, V> store, int capacity, boolean deferred) {
        this.store = store;
        this.deferred = deferred;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                V value = unwritten.remove(eldest.getKey());
                if (value != null) {
                    store.put(eldest.getKey(), value);
                }
                return true;
            }
        };
    }

    public V get(String key) {
        V value = recent.get(key);
        if (value == null) {
            // Not in memory: then not unwritten either, as a value is written when it leaves memory.
            value = store.get(key);
            if (value != null) {
                recent.put(key, value);
            }
        }
        return value;
    }

    public void put(String key, V value) {
        if (deferred) {
            unwritten.put(key, value);
        } else {
            store.put(key, value);
        }
        recent.put(key, value);
    }

    public void delete(String key) {
        unwritten.remove(key);
        store.delete(key);
        recent.remove(key);
    }

    /** Writes every value put since the last call to the store. */
    public void writeAll() {
        unwritten.forEach(store::put);
        unwritten.clear();
    }
}
