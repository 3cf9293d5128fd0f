package org.opinionwatch.classifier.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** An entry log in memory, sorted by instant: for windows worked out on the side, such as a catch-up, and the classifier's copy of its stored entries. */
public final class MemoryEntryLog implements EntryLog {
    private final TreeMap<Long, WindowEntry> entries = new TreeMap<>();

    @Override
    public WindowEntry get(long at) {
        return entries.get(at);
    }

    @Override
    public void put(long at, WindowEntry entry) {
        entries.put(at, entry);
    }

    @Override
    public Long earliestAfter(long fromExclusive) {
        return entries.higherKey(fromExclusive);
    }

    @Override
    public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
        Map<Long, WindowEntry> range = between(fromExclusive, toInclusive);
        List<WindowEntry> removed = new ArrayList<>(range.values());
        range.clear();
        return removed;
    }

    /** The entries in (fromExclusive, toInclusive], by instant: a view, which changes with the log. */
    public NavigableMap<Long, WindowEntry> between(long fromExclusive, long toInclusive) {
        return fromExclusive < toInclusive ? entries.subMap(fromExclusive, false, toInclusive, true) : java.util.Collections.emptyNavigableMap();
    }

    /** Every entry, by instant: a read-only view, which changes with the log. */
    public NavigableMap<Long, WindowEntry> all() {
        return java.util.Collections.unmodifiableNavigableMap(entries);
    }

    public int size() {
        return entries.size();
    }
}
