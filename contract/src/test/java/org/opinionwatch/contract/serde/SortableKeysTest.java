package org.opinionwatch.contract.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SortableKeysTest {
    private static final long[] EDGES = {0, 1, 9, 10, 1_700_000_000_000L, Long.MAX_VALUE, -1, Long.MIN_VALUE, Integer.MAX_VALUE};

    @Test
    void theKeysAreWhatStringFormatGaveSoStoredKeysKeepTheirOrder() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long v = i < EDGES.length ? EDGES[i] : random.nextLong() >>> random.nextInt(64);
            assertEquals(String.format("%019d", v), SortableKeys.decimal(v));
            assertEquals(String.format("%016x", v ^ Long.MIN_VALUE), SortableKeys.hex(v));
        }
    }

    @Test
    void keysSortAsTheirNumbers() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long a = random.nextLong();
            long b = random.nextLong();
            assertEquals(Long.signum(Long.compare(a, b)), Integer.signum(SortableKeys.hex(a).compareTo(SortableKeys.hex(b))), a + " " + b);
            long x = Math.abs(a >> 1);
            long y = Math.abs(b >> 1);
            assertTrue(Long.compare(x, y) == 0 || Long.signum(Long.compare(x, y)) == Integer.signum(SortableKeys.decimal(x).compareTo(SortableKeys.decimal(y))));
        }
    }
}
