package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opinionwatch.classifier.topology.ClassifierDriver.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * Heartbeats move event time on in quiet periods: ingest's, among the posts on posts.raw (where the task reads them
 * behind the posts before them), and those on the clock topic (the escalation's while ingest is silent). Either way a
 * quiet incident subsides, and a heartbeat is neither a post nor a dead letter.
 */
class HeartbeatTest {
    @Test
    void ingestsHeartbeatAmongThePostsMovesTimeOnAndIsNoDeadLetter() {
        assertSubsidesOn(ClassifierDriver::heartbeat);
    }

    @Test
    void aHeartbeatOnTheClockTopicMovesTimeOnToo() {
        assertSubsidesOn(ClassifierDriver::clockTick);
    }

    private static void assertSubsidesOn(BiConsumer<ClassifierDriver, Instant> heartbeat) {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            d.observe("a", T0, 150); // comments >= 100: MAJOR
            heartbeat.accept(d, T0.plus(Duration.ofDays(3))); // quiet past the calm period
            List<Level> levels = d.severity.readValuesToList().stream().map(SeverityChange::to).toList();
            assertEquals(Level.MAJOR, levels.get(0));
            assertEquals(Level.NONE, levels.get(levels.size() - 1), "subsided on the heartbeat alone: " + levels);
            assertEquals(List.of(), d.dlq.readValuesToList(), "a heartbeat is no dead letter");
            assertEquals(List.of(), d.stageDlq.readValuesToList());
        }
    }
}
