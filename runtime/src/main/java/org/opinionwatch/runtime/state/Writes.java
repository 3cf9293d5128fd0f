package org.opinionwatch.runtime.state;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The writes of a helper that holds a store's values in memory ({@link Mirrored}, {@link Queues}) on their way to the
 * store: at once, or, deferred, at the task's commit ({@link CommitHook}), where a key written several times is
 * written once and a key put and removed between two commits is never written at all.
 */
final class Writes<V> {
    private final KeyValueStore<String, V> store;
    private final boolean deferred;
    /** What to write at the commit, by key; null removes. */
    private final Map<String, V> pending = new LinkedHashMap<>();
    /** The keys the store holds, when deferred: a key it does not hold needs no removal. */
    private final Set<String> stored = new HashSet<>();

    /** @param held the keys the store holds now */
    Writes(KeyValueStore<String, V> store, boolean deferred, Set<String> held) {
        this.store = store;
        this.deferred = deferred;
        if (deferred) {
            stored.addAll(held);
        }
    }

    void put(String key, V value) {
        if (deferred) {
            pending.put(key, value);
        } else {
            store.put(key, value);
        }
    }

    /** Removes the key: a delete that does not read the old value back first, as {@code KeyValueStore.delete} does. */
    void remove(String key) {
        if (!deferred) {
            store.put(key, null);
        } else if (stored.contains(key)) {
            pending.put(key, null);
        } else {
            pending.remove(key);
        }
    }

    /** Writes what is pending (nothing, unless deferred). */
    void writeAll() {
        pending.forEach((key, value) -> {
            store.put(key, value);
            if (value == null) {
                stored.remove(key);
            } else {
                stored.add(key);
            }
        });
        pending.clear();
    }
}
