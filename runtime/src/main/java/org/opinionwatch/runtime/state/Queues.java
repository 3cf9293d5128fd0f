package org.opinionwatch.runtime.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final KeyValueStore<String, V> store;
    private final Map<String, List<V>> queues = new HashMap<>();

    public Queues(KeyValueStore<String, V> store) {
        this.store = store;
        List<String> whole = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> {
                int sep = kv.key.indexOf(SEP);
                if (sep < 0) {
                    whole.add(kv.key);
                }
                queues.computeIfAbsent(sep < 0 ? kv.key : kv.key.substring(0, sep), k -> new ArrayList<>()).add(kv.value);
            });
        }
        for (String key : whole) {
            List<V> queue = queues.get(key);
            store.put(key, null);
            for (int i = 0; i < queue.size(); i++) {
                store.put(elementKey(key, i), queue.get(i));
            }
        }
    }

    /** Whether anything waits under the key. */
    public boolean has(String key) {
        return queues.containsKey(key);
    }

    public void add(String key, V value) {
        List<V> queue = queues.computeIfAbsent(key, k -> new ArrayList<>());
        store.put(elementKey(key, queue.size()), value);
        queue.add(value);
    }

    /** Takes the key's queue, in the order it was added to; empty when there is none. */
    public List<V> take(String key) {
        List<V> queue = queues.remove(key);
        if (queue == null) {
            return List.of();
        }
        for (int i = 0; i < queue.size(); i++) {
            store.put(elementKey(key, i), null);
        }
        return queue;
    }

    private static String elementKey(String key, int index) {
        // Ten digits sort as numbers for any queue a task can hold.
        String digits = Integer.toString(index);
        return key + SEP + "0000000000".substring(digits.length()) + digits;
    }
}
