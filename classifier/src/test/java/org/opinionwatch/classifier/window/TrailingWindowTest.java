package org.opinionwatch.classifier.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrailingWindowTest {
    private static final Duration DAY = Duration.ofHours(24);
    private static final long H = 3_600_000L;

    private static WindowEntry comments(long n) {
        return new WindowEntry(0, n, List.of());
    }

    @Test
    void holdsExactlyTheHalfOpenIntervalEndingNow() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(0).add(0, comments(5), DAY, log);
        w = w.add(24 * H - 1, comments(1), DAY, log);
        assertEquals(6, w.comments(), "(t-24h, t] still holds the entry at 0 one millisecond before 24 h");
        w = w.add(24 * H, comments(1), DAY, log);
        assertEquals(2, w.comments(), "at exactly 24 h the entry at 0 is out: the window is open at its start");
        assertEquals(2, log.size(), "expired entries leave the log");
    }

    @Test
    void countsOutletsDistinctAndForgetsThemWhenTheyLeave() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(0)
                .add(0, new WindowEntry(0, 0, List.of("xinhua")), DAY, log)
                .add(H, new WindowEntry(0, 0, List.of("xinhua", "cctv")), DAY, log);
        assertEquals(2, w.metrics().outlets());
        w = w.add(24 * H, comments(1), DAY, log);
        assertEquals(2, w.metrics().outlets(), "xinhua still posted at 1 h");
        w = w.add(25 * H, comments(1), DAY, log);
        assertEquals(0, w.metrics().outlets());
    }

    @Test
    void sumsStopAtTheLargestCountInsteadOfTurningNegative() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(0).add(0, new WindowEntry(Long.MAX_VALUE, Long.MAX_VALUE, List.of()), DAY, log)
                .add(H, new WindowEntry(1, 1, List.of()), DAY, log)
                .add(H, new WindowEntry(5, 5, List.of()), DAY, log);
        assertEquals(Long.MAX_VALUE, w.views());
        assertEquals(Long.MAX_VALUE, w.comments());
        assertEquals(new WindowEntry(6, 6, List.of()), log.get(H), "one instant's entries add up");
        assertEquals(Long.MAX_VALUE, new WindowEntry(Long.MAX_VALUE, 0, List.of()).plus(new WindowEntry(3, 0, List.of())).views());
        w = w.add(24 * H, comments(2), DAY, log);
        assertTrue(w.views() >= 0 && w.comments() >= 0, "less what left the window, never below zero: " + w);
        assertEquals(0, Counts.minus(3, 5));
        assertEquals(Long.MAX_VALUE, Counts.plus(Long.MAX_VALUE - 1, 2));
    }

    @Test
    void aFloodOfOutletsIsCountedUpToTheBoundAndTheTrackedOnesStillLeave() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(0);
        for (int i = 0; i < TrailingWindow.MAX_OUTLETS + 50; i++) {
            w = w.add(i, new WindowEntry(0, 0, List.of("outlet-" + i)), DAY, log);
        }
        assertEquals(TrailingWindow.MAX_OUTLETS, w.metrics().outlets());
        w = w.add(24 * H + TrailingWindow.MAX_OUTLETS + 50, comments(1), DAY, log);
        assertEquals(0, w.metrics().outlets(), "every counted outlet has left");
        List<String> many = java.util.stream.IntStream.range(0, 2 * TrailingWindow.MAX_OUTLETS).mapToObj(i -> "o" + i).toList();
        assertEquals(TrailingWindow.MAX_OUTLETS, new WindowEntry(0, 0, many).plus(new WindowEntry(0, 0, many)).outlets().size());
    }

    @Test
    void outOfOrderIncrementInsideTheWindowCountsAndLaterExpires() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(10 * H).add(10 * H, comments(1), DAY, log);
        w = w.add(2 * H, comments(3), DAY, log);
        assertEquals(10 * H, w.end(), "an older increment does not move the window back");
        assertEquals(4, w.comments());
        w = w.add(26 * H, comments(1), DAY, log);
        assertEquals(2, w.comments(), "the out-of-order entry at 2 h expired at 26 h");
    }

    @Test
    void incrementBeforeTheWindowIsLate() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(30 * H).add(30 * H, comments(1), DAY, log);
        assertTrue(w.isLate(6 * H, DAY));
        assertFalse(w.isLate(6 * H + 1, DAY));
        assertThrows(IllegalArgumentException.class, () -> TrailingWindow.startingAt(30 * H).add(6 * H, comments(1), DAY, log));
    }

    @Test
    void aJumpPastTheWholeWindowEmptiesIt() {
        MemoryEntryLog log = new MemoryEntryLog();
        TrailingWindow w = TrailingWindow.startingAt(0);
        for (int i = 0; i < 10; i++) {
            w = w.add(i * H, comments(10), DAY, log);
        }
        w = w.add(400 * H, comments(1), DAY, log);
        assertEquals(1, w.comments());
        assertEquals(1, log.size());
    }
}
