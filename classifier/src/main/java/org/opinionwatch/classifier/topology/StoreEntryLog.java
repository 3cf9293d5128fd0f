package org.opinionwatch.classifier.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.window.EntryBuckets;
import org.opinionwatch.classifier.window.IncidentEntries;
import org.opinionwatch.classifier.window.MemoryEntryLog;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * A task's window entries in a key-value store, one record per bucket of an incident's entries ({@link EntryBuckets}:
 * up to a minute of them), keyed {@code incidentId@first instant} with the instant written so that keys sort by time;
 * a bucket leaves the store when its last entry leaves the window. The entries of recently used incidents are kept in
 * memory, sorted by instant ({@link IncidentEntries}), and the buckets they changed are written at {@link #writeAll}
 * (the task's commit), or when the incident leaves memory; an incident not in memory is read back with one range
 * scan. The processor that makes one in {@code init} is its store's only writer.
 */
final class StoreEntryLog {
    /**
     * A bucket's entries as stored, earliest first.
     *
     * @param entries each with its instant; an instant is null only in a record of the earlier layout (one entry under
     *     its own instant, {@code classifier-window-entry/1}), whose key gives it
     */
    record Stored(List<Timed> entries) {
        /** As JSON, {@code /2}; {@code /1} kept one entry per record. */
        public static final String SCHEMA = "classifier-window-entry/2";
        public static final String PREVIOUS_SCHEMA = "classifier-window-entry/1";
        /** As compact bytes ({@link #FORMAT}). */
        public static final String COMPACT_SCHEMA = "classifier-window-entry/3";

        record Timed(Long at, WindowEntry entry) {
        }

        /**
         * The entries in order, each instant as its distance from the one before (the first from 0): a bucket of a
         * viral incident's minute is written again at every commit that adds to it, so its size is what counts.
         */
        static final CompactSerde.Format<Stored> FORMAT = new CompactSerde.Format<>() {
            @Override
            public void write(Stored s, CompactSerde.Writer out) {
                out.number(s.entries().size());
                long previous = 0;
                for (Timed t : s.entries()) {
                    out.number(t.at() - previous);
                    previous = t.at();
                    out.number(t.entry().views());
                    out.number(t.entry().comments());
                    out.texts(t.entry().outlets());
                }
            }

            @Override
            public Stored read(CompactSerde.Reader in) {
                int n = in.count();
                List<Timed> entries = new ArrayList<>(n);
                long at = 0;
                for (int i = 0; i < n; i++) {
                    at += in.number();
                    entries.add(new Timed(at, new WindowEntry(in.number(), in.number(), in.texts())));
                }
                return new Stored(entries);
            }
        };
    }

    /** An incident's entries in memory and how they are grouped in the store. */
    private record Kept(MemoryEntryLog log, EntryBuckets buckets) {
    }

    private final KeyValueStore<String, Stored> store;
    private final Map<String, Kept> recent;
    /** The incidents in memory whose buckets changed since they were written. */
    private final Set<String> changed = new HashSet<>();

    /** @param capacity how many incidents' entries are kept in memory */
    StoreEntryLog(KeyValueStore<String, Stored> store, int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                write(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    /** The entries of one incident: read and written in memory, its changed buckets written at {@link #writeAll}. */
    IncidentEntries of(String incidentId) {
        Kept kept = recent.computeIfAbsent(incidentId, this::load);
        return new IncidentEntries(kept.log(), (at, entry) -> {
            if (entry == null) {
                kept.buckets().remove(at);
            } else {
                kept.buckets().put(at, kept.log().all());
            }
            changed.add(incidentId);
        });
    }

    /** Writes the buckets changed since the last call: at the task's commit ({@code CommitHook}). */
    void writeAll() {
        for (String incidentId : changed.toArray(String[]::new)) {
            write(incidentId, recent.get(incidentId));
        }
    }

    private void write(String incidentId, Kept kept) {
        if (!changed.remove(incidentId)) {
            return;
        }
        for (long start : kept.buckets().takeChanged()) {
            // A put of null is a delete that does not read the old value back first, as KeyValueStore.delete does.
            store.put(key(incidentId, start), kept.buckets().holds(start) ? stored(kept.log(), start, kept.buckets().end(start)) : null);
        }
    }

    private static Stored stored(MemoryEntryLog log, long from, long to) {
        List<Stored.Timed> entries = new ArrayList<>();
        log.all().subMap(from, true, to, false).forEach((at, entry) -> entries.add(new Stored.Timed(at, entry)));
        return new Stored(entries);
    }

    private Kept load(String incidentId) {
        MemoryEntryLog log = new MemoryEntryLog();
        Map<Long, Integer> sizes = new TreeMap<>();
        boolean earlierLayout = false;
        try (KeyValueIterator<String, Stored> it = store.range(key(incidentId, Long.MIN_VALUE), key(incidentId, Long.MAX_VALUE))) {
            while (it.hasNext()) {
                var kv = it.next();
                long start = instantOf(kv.key);
                for (Stored.Timed t : kv.value.entries()) {
                    earlierLayout |= t.at() == null;
                    log.put(t.at() == null ? start : t.at(), t.entry());
                }
                sizes.put(start, kv.value.entries().size());
            }
        }
        if (!earlierLayout) {
            return new Kept(log, EntryBuckets.of(sizes));
        }
        // Kept by an earlier release one entry per record: grouped again, written at the next commit.
        sizes.keySet().forEach(start -> store.put(key(incidentId, start), null));
        changed.add(incidentId);
        return new Kept(log, EntryBuckets.regrouped(log.all()));
    }

    /** The instant as sortable hex (its sign bit flipped): the entries of an incident sort by time, negatives included. */
    private static String key(String incidentId, long at) {
        return incidentId + "@" + SortableKeys.hex(at);
    }

    private static long instantOf(String key) {
        return Long.parseUnsignedLong(key.substring(key.lastIndexOf('@') + 1), 16) ^ Long.MIN_VALUE;
    }
}
