package org.opinionwatch.runtime.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's queues by key, held in memory, each element its own store record ({@code key, SEP, index}): adding to a
 * queue writes that element alone, where a queue kept as one value would be written again whole for every element
 * (quadratic in the queue's length). Loaded once when the processor starts; the processor that makes one in
 * {@code init} is its store's only writer. A record whose key has no separator is a whole queue as a store kept it
 * before; it is read as the queue's first elements and written again in this layout.
 */
public final class Queues<V> {
    /** Below every printable character: a key's elements sort together, after the key itself. */
    private static final char SEP = '\u001f';

    private final Map<String, List<V>> queues = new HashMap<>();
    private final Writes<V> writes;

    /** Every write goes to the store at once. */
    public Queues(KeyValueStore<String, V> store) {
        this(store, false);
    }

    /**
     * Writes go to the store at {@link #writeAll}, called by the processor's {@link CommitHook}: an element taken
     * before the commit it was added in is never written. The store must not keep a record cache.
     */
    public static <V> Queues<V> deferred(KeyValueStore<String, V> store) {
        return new Queues<>(store, true);
    }

    private Queues(KeyValueStore<String, V> store, boolean deferred) {
        Set<String> held = new HashSet<>();
        List<String> whole = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> {
                held.add(kv.key);
                int sep = kv.key.indexOf(SEP);
                if (sep < 0) {
                    whole.add(kv.key);
                }
                queues.computeIfAbsent(sep < 0 ? kv.key : kv.key.substring(0, sep), k -> new ArrayList<>()).add(kv.value);
            });
        }
        this.writes = new Writes<>(store, deferred, held);
        for (String key : whole) {
            List<V> queue = queues.get(key);
            writes.remove(key);
            for (int i = 0; i < queue.size(); i++) {
                writes.put(elementKey(key, i), queue.get(i));
            }
        }
    }

    /** Whether anything waits under the key. */
    public boolean has(String key) {
        return queues.containsKey(key);
    }

    /** The first element of the key's queue, or null when there is none. */
    public V first(String key) {
        List<V> queue = queues.get(key);
        return queue == null ? null : queue.get(0);
    }

    public void add(String key, V value) {
        List<V> queue = queues.computeIfAbsent(key, k -> new ArrayList<>());
        writes.put(elementKey(key, queue.size()), value);
        queue.add(value);
    }

    /** Takes the key's queue, in the order it was added to; empty when there is none. */
    public List<V> take(String key) {
        List<V> queue = queues.remove(key);
        if (queue == null) {
            return List.of();
        }
        for (int i = 0; i < queue.size(); i++) {
            writes.remove(elementKey(key, i));
        }
        return queue;
    }

    /** Writes what is deferred to the store. */
    public void writeAll() {
        writes.writeAll();
    }

    private static String elementKey(String key, int index) {
        // Ten digits sort as numbers for any queue a task can hold.
        String digits = Integer.toString(index);
        return key + SEP + "0000000000".substring(digits.length()) + digits;
    }
}
