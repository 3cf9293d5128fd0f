package org.opinionwatch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {
    /** A replay of 1,000 snapshots that took {@code seconds}, its events hashing to {@code hash}. */
    private static Report.Replayed replayed(double seconds, String hash) {
        return new Report.Replayed(1_000, new Report.Throughput(1_000, Duration.ZERO, Duration.ofMillis((long) (seconds * 1000)), false, 7),
                42, List.of(hash));
    }

    @Test
    void anArchiveIsReplayedUntilTheRunHasLastedTheMinimum() {
        List<Integer> asked = new ArrayList<>();
        Report.Replayed run = Bench.replayedFor(Duration.ofSeconds(10), n -> {
            asked.add(n);
            return replayed(4, n == 2 ? "b" : "a");
        });

        assertEquals(List.of(1, 2, 3), asked, "4 s, 8 s, then 12 s: three replays");
        assertEquals(Duration.ofSeconds(12), run.throughput().busy());
        assertEquals(3_000, run.throughput().records());
        assertEquals(21, run.throughput().cpuNanos());
        assertEquals(1_000, run.snapshots(), "one replay's snapshots");
        assertEquals(List.of("a", "b"), run.hashes(), "every replay's hash, once each");
    }

    @Test
    void aReplayAsLongAsTheMinimumIsARunOnItsOwn() {
        List<Integer> asked = new ArrayList<>();
        Report.Replayed run = Bench.replayedFor(Duration.ofSeconds(10), n -> {
            asked.add(n);
            return replayed(10, "a");
        });

        assertEquals(List.of(1), asked);
        assertEquals(Duration.ofSeconds(10), run.throughput().busy());
    }
}
