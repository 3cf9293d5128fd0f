package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.window.IncidentEntries;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.serde.SortableKeys;

/** The entries kept in memory are the store's: an incident pushed out of memory comes back with what was written. */
class StoreEntryLogTest {
    private KeyValueStore<String, WindowEntry> store;
    private StoreEntryLog log;

    @BeforeEach
    void store() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("entries"), Serdes.String(), ClassifierTopology.WINDOW_ENTRY)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        log = new StoreEntryLog(store, 1); // one incident in memory: every other one is read back from the store
    }

    private static WindowEntry comments(long n) {
        return new WindowEntry(0, n, List.of());
    }

    @Test
    void anIncidentReadBackFromTheStoreHasEverythingWrittenAndNothingRemoved() {
        IncidentEntries a = log.of("a");
        a.put(1, comments(1));
        a.put(2, comments(2));
        a.put(3, comments(3));
        assertEquals(List.of(comments(1), comments(2)), a.removeRange(0, 2));
        log.of("b").put(5, comments(5)); // pushes a out of memory

        IncidentEntries again = log.of("a");
        assertEquals(List.of(Map.entry(3L, comments(3))), again.range(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(3L, again.earliestAfter(0));
        assertNull(store.get("a@" + SortableKeys.hex(1)), "a removed entry leaves the store");
        assertEquals(List.of(Map.entry(5L, comments(5))), log.of("b").range(Long.MIN_VALUE, Long.MAX_VALUE), "b's own entries only");
    }

    @Test
    void theShorterWindowReadsWhatLeavesItWithoutRemovingIt() {
        IncidentEntries a = log.of("a");
        a.put(1, comments(1));
        a.put(2, comments(2));
        assertEquals(List.of(comments(1)), a.shorterWindow().removeRange(0, 1));
        assertEquals(2, a.range(Long.MIN_VALUE, Long.MAX_VALUE).size());
        assertEquals(List.of(Map.entry(1L, comments(1)), Map.entry(2L, comments(2))), a.removeAll());
        log.of("b");
        assertEquals(List.of(), log.of("a").range(Long.MIN_VALUE, Long.MAX_VALUE), "removeAll empties the store too");
    }
}
