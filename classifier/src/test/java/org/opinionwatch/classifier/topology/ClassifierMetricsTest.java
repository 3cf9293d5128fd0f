package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opinionwatch.classifier.topology.ClassifierDriver.T0;

import io.micrometer.core.instrument.search.Search;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;

/** The classifier's meters follow what it does: what the operations team sees in Grafana. */
class ClassifierMetricsTest {
    private static double count(ClassifierDriver d, String name, String... tags) {
        Search search = d.meters.find(name).tags(tags);
        return search.counter() != null ? search.counter().count() : search.timer() != null ? search.timer().count() : 0;
    }

    private static double open(ClassifierDriver d, Level level) {
        return d.meters.get("classifier.incidents.open").tag("level", level.name()).gauge().value();
    }

    @Test
    void openIncidentsByLevelFollowRisesAndSubsiding() {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            d.observe("a", T0, 5);
            d.observe("b", T0.plusSeconds(10), 5);
            assertEquals(2, open(d, Level.MINOR));
            d.observe("a", T0.plusSeconds(60), 150); // comments >= 100: MAJOR
            assertEquals(1, open(d, Level.MINOR));
            assertEquals(1, open(d, Level.MAJOR));
            assertEquals(1, count(d, "classifier.severity.changes", "level", "MAJOR", "direction", "up"));
            assertEquals(2, count(d, "classifier.severity.changes", "level", "MINOR", "direction", "up"));

            d.heartbeat(T0.plus(Duration.ofDays(3))); // quiet past the calm period: both subside
            for (Level level : new Level[] {Level.MINOR, Level.GENERAL, Level.MAJOR, Level.CRITICAL}) {
                assertEquals(0, open(d, level), level.name());
            }
            assertEquals(2, count(d, "classifier.severity.changes", "level", "NONE", "direction", "down"));
        }
    }

    @Test
    void rejectedRecordsAreCountedByReason() {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            d.posts.pipeInput("x", "{not json".getBytes(StandardCharsets.UTF_8), T0);
            d.posts.pipeInput("y", new byte[] {(byte) 0xC3, (byte) 0x28}, T0);
            d.posts.pipeInput("z", (byte[]) null, T0);
            assertEquals(1, count(d, "classifier.posts.rejected", "reason", "invalid-post", "source", "posts.raw"));
            assertEquals(1, count(d, "classifier.posts.rejected", "reason", "not-utf-8"));
            assertEquals(1, count(d, "classifier.posts.rejected", "reason", "empty-record"));
            assertEquals(3, d.dlq.readValuesToList().size(), "each is a dead letter too");
        }
    }

    @Test
    void newPostsAreCountedOnceByCategory() {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            d.observe("a", T0, 1);
            d.observe("a", T0.plusSeconds(60), 2); // the same post again: not a new post
            d.observe(new Post("r", "weibo", "http://weibo/r", "", "网传学校食堂出了事，谣言还是真的？求证", "u", T0, T0.plusSeconds(5),
                    new Engagement(0, 1, 0, 0), false, null));
            assertEquals(1, count(d, "classifier.posts.classified", "category", "neutral"), "the first post, once");
            assertEquals(1, count(d, "classifier.posts.classified", "category", "rumour"), "the second");
        }
    }

    @Test
    void aRiseCausedByAPostIsTimedFromItsIntake() {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            d.observe("a", T0, 5); // no intake header (a test, or an old producer): its rise is not timed
            assertEquals(0, count(d, "classifier.severity.latency"));
            Post post = new Post("a", "forum", "http://bbs/a", "t", "x", "author", T0, T0.plusSeconds(60), new Engagement(0, 150, 0, 0), false, null);
            RecordHeaders headers = new RecordHeaders();
            headers.add(Post.INTAKE_HEADER, Long.toString(System.currentTimeMillis() - 2_000).getBytes(StandardCharsets.US_ASCII));
            d.posts.pipeInput(new TestRecord<>(post.id(), Topics.POST.serialize("", post), headers, post.observedAt()));
            d.heartbeat(post.observedAt().plusMillis(1));
            var latency = d.meters.get("classifier.severity.latency").timer();
            assertEquals(1, latency.count());
            assertEquals(true, latency.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 2_000, "from intake, 2 s ago");
        }
    }
}
