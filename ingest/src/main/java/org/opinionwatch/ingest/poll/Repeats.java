package org.opinionwatch.ingest.poll;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was last sent for each recently seen post (or rejected input), to drop a re-observation that changes
 * nothing: a thread polled every few minutes mostly looks the same, and a broken page stays broken. Bounded: the
 * least recently seen keys are forgotten first, and a forgotten key's next observation is simply sent again (the
 * classifier never double counts a snapshot).
 */
final class Repeats {
    private final Map<String, Object> last;

    Repeats(int capacity) {
        this.last = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether {@code observed} differs from what was last recorded under {@code key}; records it either way. */
    synchronized boolean isNew(String key, Object observed) {
        return !observed.equals(last.put(key, observed));
    }

    /** Forgets {@code key}: its next observation is new. */
    synchronized void forget(String key) {
        last.remove(key);
    }
}
