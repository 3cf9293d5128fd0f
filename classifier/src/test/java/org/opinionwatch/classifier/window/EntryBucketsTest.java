package org.opinionwatch.classifier.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** An incident's entries grouped into buckets of under a minute and at most a few hundred instants each. */
class EntryBucketsTest {
    private static final WindowEntry ONE = new WindowEntry(0, 1, List.of());

    private final TreeMap<Long, WindowEntry> entries = new TreeMap<>();
    private final EntryBuckets buckets = EntryBuckets.of(Map.of());

    private void put(long at) {
        buckets.put(at, entries);
        entries.merge(at, ONE, WindowEntry::plus);
    }

    private void remove(long at) {
        buckets.remove(at);
        entries.remove(at);
    }

    @Test
    void aMinutesEntriesShareABucketAndTheNextMinuteStartsAnother() {
        put(1_000);
        put(30_000);
        put(30_000); // the same instant again: its bucket changes, it holds no more instants
        put(60_999);
        put(61_000);
        assertEquals(Set.of(1_000L, 61_000L), buckets.takeChanged());
        assertEquals(61_000, buckets.end(1_000));
        assertEquals(Set.of(), buckets.takeChanged(), "taken: nothing changed since");

        remove(1_000);
        remove(30_000);
        assertEquals(Set.of(1_000L), buckets.takeChanged());
        assertTrue(buckets.holds(1_000), "60,999 is left in it");
        remove(60_999);
        buckets.takeChanged();
        assertFalse(buckets.holds(1_000), "empty: it leaves the store");
    }

    @Test
    void aBusyMinuteIsSplitAtTheCap() {
        for (int i = 0; i < EntryBuckets.MAX_INSTANTS + 1; i++) {
            put(i);
        }
        assertEquals(Set.of(0L, (long) EntryBuckets.MAX_INSTANTS), buckets.takeChanged());
    }

    /** An instant observed out of order inside a full bucket starts a bucket, which takes the full one's later instants. */
    @Test
    void anInstantOutOfOrderInAFullBucketSplitsIt() {
        for (int i = 0; i < EntryBuckets.MAX_INSTANTS; i++) {
            put(2L * i);
        }
        buckets.takeChanged();
        put(11);
        assertEquals(Set.of(0L, 11L), buckets.takeChanged());
        assertEquals(11, buckets.end(0));
    }

    /** Whatever the order, every instant is in exactly one bucket, each spanning under a minute, none over the cap. */
    @Test
    void bucketsAlwaysPartitionTheEntries() {
        Random random = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            if (!entries.isEmpty() && random.nextInt(3) == 0) {
                remove(entries.firstKey()); // the window's trailing edge
            } else {
                put(step * 200L + random.nextInt(120_000) - 60_000);
            }
            if (step % 997 == 0) {
                assertPartition(EntryBuckets.regrouped(entries));
            }
        }
        assertPartition(buckets);
    }

    /** Every bucket was changed since its buckets were taken last: so all of them are among the changed. */
    private void assertPartition(EntryBuckets b) {
        int counted = 0;
        for (long start : b.takeChanged()) {
            if (b.holds(start)) {
                var in = entries.subMap(start, true, b.end(start), false);
                assertTrue(in.size() <= EntryBuckets.MAX_INSTANTS, "at most the cap");
                assertTrue(in.lastKey() - start < EntryBuckets.SPAN_MILLIS, "under a minute");
                counted += in.size();
            }
        }
        assertEquals(entries.size(), counted, "every instant in one bucket");
    }
}
