package org.opinionwatch.classifier.window;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How one incident's window entries are grouped for keeping: into buckets of consecutive instants, each named by its
 * first instant and spanning less than {@link #SPAN_MILLIS} and at most {@link #MAX_INSTANTS} instants. A bucket is
 * one stored record, so that a snapshot costs a share of a record written at the commit, and the entries of a minute
 * leave the store with one tombstone, rather than a record and a tombstone each; the cap keeps a viral minute's record
 * small. The buckets changed since they were last taken are remembered, to be written.
 */
public final class EntryBuckets {
    public static final long SPAN_MILLIS = 60_000;
    public static final int MAX_INSTANTS = 256;

    /** Each bucket's first instant → how many instants it holds. */
    private final TreeMap<Long, Integer> sizes = new TreeMap<>();
    private final Set<Long> changed = new TreeSet<>();

    /** Buckets as they were stored: each first instant with its number of instants. */
    public static EntryBuckets of(Map<Long, Integer> stored) {
        EntryBuckets buckets = new EntryBuckets();
        buckets.sizes.putAll(stored);
        return buckets;
    }

    /** Buckets made afresh for these entries, earliest first, all of them to be written. */
    public static EntryBuckets regrouped(NavigableMap<Long, WindowEntry> entries) {
        EntryBuckets buckets = new EntryBuckets();
        for (long at : entries.keySet()) {
            Map.Entry<Long, Integer> last = buckets.sizes.lastEntry();
            if (last == null || at - last.getKey() >= SPAN_MILLIS || last.getValue() >= MAX_INSTANTS) {
                buckets.sizes.put(at, 1);
                buckets.changed.add(at);
            } else {
                buckets.sizes.put(last.getKey(), last.getValue() + 1);
            }
        }
        return buckets;
    }

    /**
     * An entry is about to be put at {@code at}.
     *
     * @param entries the incident's entries before the put
     */
    public void put(long at, NavigableMap<Long, WindowEntry> entries) {
        Long bucket = sizes.floorKey(at);
        if (entries.containsKey(at)) {
            changed.add(bucket);
        } else if (bucket == null || at - bucket >= SPAN_MILLIS || sizes.get(bucket) >= MAX_INSTANTS) {
            // A bucket of its own, which takes the later instants of the bucket it falls in (one observed out of order).
            Long next = sizes.higherKey(at);
            int moved = bucket == null ? 0 : (next == null ? entries.tailMap(at, false) : entries.subMap(at, false, next, false)).size();
            if (moved > 0) {
                sizes.put(bucket, sizes.get(bucket) - moved);
                changed.add(bucket);
            }
            sizes.put(at, moved + 1);
            changed.add(at);
        } else {
            sizes.put(bucket, sizes.get(bucket) + 1);
            changed.add(bucket);
        }
    }

    /** The entry at {@code at}, an instant this log holds, is about to be removed. */
    public void remove(long at) {
        long bucket = sizes.floorKey(at);
        int left = sizes.get(bucket) - 1;
        if (left == 0) {
            sizes.remove(bucket);
        } else {
            sizes.put(bucket, left);
        }
        changed.add(bucket);
    }

    /** Whether a bucket starting at {@code start} holds anything. */
    public boolean holds(long start) {
        return sizes.containsKey(start);
    }

    /** The instant after the last that the bucket starting at {@code start} may hold: the next bucket's first. */
    public long end(long start) {
        Long next = sizes.higherKey(start);
        return next == null ? Long.MAX_VALUE : next;
    }

    /** The first instants of the buckets changed since the last call, earliest first; forgotten as changed. */
    public Set<Long> takeChanged() {
        Set<Long> taken = new TreeSet<>(changed);
        changed.clear();
        return taken;
    }
}
