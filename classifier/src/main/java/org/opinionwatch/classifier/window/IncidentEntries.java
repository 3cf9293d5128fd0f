package org.opinionwatch.classifier.window;

import java.util.List;
import java.util.Map;

/**
 * One incident's window entries, read from a sorted copy in memory; every write is passed on to {@link Writer} first
 * (for the classifier's state store), so that moving a window, finding its next expiry and adding to an instant read
 * nothing back. Both of the incident's windows share it: the level's window stores and deletes, the forecast's shorter
 * window only reads ({@link #shorterWindow}).
 */
public final class IncidentEntries implements EntryLog {
    /** Where writes go besides memory, told before the copy in memory changes: an entry put, or null for one removed. */
    @FunctionalInterface
    public interface Writer {
        void write(long at, WindowEntry entryOrNull);
    }

    private final MemoryEntryLog entries;
    private final Writer writer;

    public IncidentEntries(MemoryEntryLog entries, Writer writer) {
        this.entries = entries;
        this.writer = writer;
    }

    /** Entries kept in memory only: for tests and windows worked out on the side. */
    public static IncidentEntries inMemory() {
        return new IncidentEntries(new MemoryEntryLog(), (at, entry) -> { });
    }

    @Override
    public WindowEntry get(long at) {
        return entries.get(at);
    }

    @Override
    public void put(long at, WindowEntry entry) {
        writer.write(at, entry);
        entries.put(at, entry);
    }

    @Override
    public Long earliestAfter(long fromExclusive) {
        return entries.earliestAfter(fromExclusive);
    }

    @Override
    public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
        entries.between(fromExclusive, toInclusive).keySet().forEach(at -> writer.write(at, null));
        return entries.removeRange(fromExclusive, toInclusive);
    }

    /**
     * This log as seen by a shorter window over the same entries (the forecast's recent window inside the level's
     * window): the longer window stores every entry and deletes it when it leaves, so the shorter one only reads
     * what leaves it. It must move before the longer window deletes, and add to its sums only.
     */
    public EntryLog shorterWindow() {
        return new EntryLog() {
            @Override
            public WindowEntry get(long at) {
                return null;
            }

            @Override
            public void put(long at, WindowEntry entry) {
                // stored by the longer window
            }

            @Override
            public Long earliestAfter(long fromExclusive) {
                return entries.earliestAfter(fromExclusive);
            }

            @Override
            public List<WindowEntry> removeRange(long fromExclusive, long toInclusive) {
                return List.copyOf(entries.between(fromExclusive, toInclusive).values());
            }
        };
    }

    /** The entries in (fromExclusive, toInclusive], by instant, earliest first; nothing is removed. */
    public List<Map.Entry<Long, WindowEntry>> range(long fromExclusive, long toInclusive) {
        return entries.between(fromExclusive, toInclusive).entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    /** Removes and returns all of the incident's entries, by instant, earliest first. */
    public List<Map.Entry<Long, WindowEntry>> removeAll() {
        List<Map.Entry<Long, WindowEntry>> all = range(Long.MIN_VALUE, Long.MAX_VALUE);
        removeRange(Long.MIN_VALUE, Long.MAX_VALUE);
        return all;
    }
}
