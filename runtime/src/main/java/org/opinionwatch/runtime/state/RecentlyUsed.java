package org.opinionwatch.runtime.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's key-value store with its most recently used values kept as objects, so that an incident or a post seen
 * again soon is not read back from JSON each time (reads were a large share of the classifier's time, and more of
 * the escalation's, which reads an incident's memory for every timer it fires; its commit has the figures). The processor that
 * makes one in {@code init} is its store's only writer and writes through it, so what it holds is what the store
 * holds; values are immutable records, safe to hand out.
 */
public final class RecentlyUsed<V> {
    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;

    public RecentlyUsed(KeyValueStore<String, V> store, int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public V get(String key) {
        V value = recent.get(key);
        if (value == null) {
            value = store.get(key);
            if (value != null) {
                recent.put(key, value);
            }
        }
        return value;
    }

    public void put(String key, V value) {
        store.put(key, value);
        recent.put(key, value);
    }

    public void delete(String key) {
        store.delete(key);
        recent.remove(key);
    }
}
