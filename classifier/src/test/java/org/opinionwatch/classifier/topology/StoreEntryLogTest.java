package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.window.IncidentEntries;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * The entries kept in memory are the store's once written: an incident pushed out of memory, or read after a restart,
 * comes back with what was written, a minute's entries in one record.
 */
class StoreEntryLogTest {
    private KeyValueStore<String, StoreEntryLog.Stored> store;
    /** The store's bytes, as its changelog restores them. */
    private KeyValueStore<Bytes, byte[]> bytes;
    private StoreEntryLog log;

    @BeforeEach
    void store() {
        bytes = Stores.inMemoryKeyValueStore("entries").get();
        KeyValueBytesStoreSupplier theseBytes = new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return bytes.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return bytes;
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
        store = Stores.keyValueStoreBuilder(theseBytes, Serdes.String(), ClassifierTopology.WINDOW_ENTRIES).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        log = new StoreEntryLog(store, 1); // one incident in memory: every other one is read back from the store
    }

    private static WindowEntry comments(long n) {
        return new WindowEntry(0, n, List.of());
    }

    /** Incident {@code id}'s entries, with 1, 2, 3... comments at the instants given. */
    private IncidentEntries entries(String id, long... instants) {
        IncidentEntries entries = log.of(id);
        for (int i = 0; i < instants.length; i++) {
            entries.put(instants[i], comments(i + 1));
        }
        return entries;
    }

    @Test
    void anIncidentReadBackFromTheStoreHasEverythingWrittenAndNothingRemoved() {
        IncidentEntries a = entries("a", 1, 2, 3);
        assertEquals(List.of(comments(1), comments(2)), a.removeRange(0, 2));
        log.of("b").put(5, comments(5)); // pushes a out of memory, which writes it

        IncidentEntries again = log.of("a");
        assertEquals(List.of(Map.entry(3L, comments(3))), again.range(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(3L, again.earliestAfter(0));
        assertEquals(List.of(Map.entry(5L, comments(5))), log.of("b").range(Long.MIN_VALUE, Long.MAX_VALUE), "b's own entries only");
    }

    @Test
    void aMinutesEntriesAreOneRecordWrittenAtTheCommitAndGoneWithTheLast() {
        IncidentEntries a = entries("a", 1_000, 2_000, 61_000);
        assertEquals(0, store.approximateNumEntries(), "written at the commit, not before");
        log.writeAll();
        assertEquals(2, store.approximateNumEntries(), "a record per minute, not per entry");
        assertEquals(2, store.get("a@" + SortableKeys.hex(1_000)).entries().size());

        a.removeRange(0, 1_000);
        log.writeAll();
        assertEquals(1, store.get("a@" + SortableKeys.hex(1_000)).entries().size(), "what is left of the minute");
        a.removeRange(0, 2_000);
        log.writeAll();
        assertNull(store.get("a@" + SortableKeys.hex(1_000)), "the minute's last entry gone: its record too");

        StoreEntryLog restarted = new StoreEntryLog(store, 1);
        assertEquals(List.of(Map.entry(61_000L, comments(3))), restarted.of("a").range(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void theShorterWindowReadsWhatLeavesItWithoutRemovingIt() {
        IncidentEntries a = entries("a", 1, 2);
        assertEquals(List.of(comments(1)), a.shorterWindow().removeRange(0, 1));
        assertEquals(2, a.range(Long.MIN_VALUE, Long.MAX_VALUE).size());
        assertEquals(List.of(Map.entry(1L, comments(1)), Map.entry(2L, comments(2))), a.removeAll());
        log.of("b");
        assertEquals(List.of(), log.of("a").range(Long.MIN_VALUE, Long.MAX_VALUE), "removeAll empties the store too");
    }

    /** An earlier release kept one entry per record, under its own instant: read, and grouped again at the next commit. */
    @Test
    void entriesKeptOnePerRecordAreReadAndGroupedAgain() {
        for (long at : List.of(1_000L, 2_000L, 61_000L)) {
            String v1 = "{\"schema\":\"classifier-window-entry/1\",\"views\":0,\"comments\":" + at / 1_000 + ",\"outlets\":[]}";
            bytes.put(Bytes.wrap(("a@" + SortableKeys.hex(at)).getBytes(StandardCharsets.UTF_8)), v1.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(Map.entry(1_000L, comments(1)), Map.entry(2_000L, comments(2)), Map.entry(61_000L, comments(61))),
                log.of("a").range(Long.MIN_VALUE, Long.MAX_VALUE));
        log.writeAll();
        assertEquals(2, store.approximateNumEntries(), "two minutes, two records");
        assertNull(store.get("a@" + SortableKeys.hex(2_000)), "the earlier layout's record is gone");
        assertEquals(List.of(Map.entry(1_000L, comments(1)), Map.entry(2_000L, comments(2)), Map.entry(61_000L, comments(61))),
                new StoreEntryLog(store, 1).of("a").range(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** A bucket comes back from the changelog as it was written, before 1970 too; what the previous release wrote as JSON is read. */
    @Test
    void aBucketIsWrittenAsCompactBytesAndItsJsonIsStillRead() {
        StoreEntryLog.Stored bucket = new StoreEntryLog.Stored(List.of(new StoreEntryLog.Stored.Timed(-1_500L, comments(1)),
                new StoreEntryLog.Stored.Timed(1_717_423_200_000L, new WindowEntry(12_000, 3, List.of("人民日报", "新华社"))),
                new StoreEntryLog.Stored.Timed(1_717_423_200_001L, new WindowEntry(Long.MAX_VALUE, 0, List.of()))));
        byte[] bytes = ClassifierTopology.WINDOW_ENTRIES.serializer().serialize("changelog", bucket);
        assertEquals(bucket, ClassifierTopology.WINDOW_ENTRIES.deserializer().deserialize("changelog", bytes));
        byte[] json = new org.opinionwatch.contract.serde.JsonSerde<>(StoreEntryLog.Stored.class, StoreEntryLog.Stored.SCHEMA).serialize("t", bucket);
        assertEquals(bucket, ClassifierTopology.WINDOW_ENTRIES.deserializer().deserialize("changelog", json));
        assertTrue(bytes.length * 3 < json.length, bytes.length + " bytes against " + json.length + " as JSON");
    }
}
