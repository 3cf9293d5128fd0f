package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topics;

class ClassifierTopologyTest {
    private static final Instant T0 = ClassifierDriver.T0;

    private ClassifierDriver driver;
    private TestOutputTopic<String, SeverityChange> severity;
    private TestOutputTopic<String, IncidentState> incidents;
    private TestOutputTopic<String, DeadLetter> dlq;

    @BeforeEach
    void start() {
        driver = new ClassifierDriver(ConfigLoader.load(null, java.util.Map.of()));
        severity = driver.severity;
        incidents = driver.incidents;
        dlq = driver.dlq;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void observe(String id, Instant at, long comments) {
        driver.observe(id, at, comments);
    }

    private void observe(Post post) {
        driver.observe(post);
    }

    @Test
    void opensMinorThenMajorAtTheHundredthCommentThenCritical() {
        observe("p1", T0, 0);
        for (int c = 1; c <= 500; c++) {
            observe("p1", T0.plusSeconds(60L * c), c);
        }
        List<SeverityChange> changes = severity.readValuesToList();
        assertEquals(3, changes.size());
        assertEquals(Level.NONE, changes.get(0).from());
        assertEquals(Level.MINOR, changes.get(0).to());
        assertEquals(T0, changes.get(0).at());
        assertEquals(Level.MAJOR, changes.get(1).to());
        assertEquals(T0.plusSeconds(60L * 100), changes.get(1).at(), "crossed at the increment that brings the count to 100");
        assertEquals(List.of("comments>=100"), changes.get(1).crossed());
        assertEquals(100, changes.get(1).metrics().comments());
        assertEquals(Level.CRITICAL, changes.get(2).to());
        assertEquals(T0.plusSeconds(60L * 500), changes.get(2).at());
        assertEquals("p1", changes.get(2).incidentId());
    }

    @Test
    void eventTimeIsTheObservationNotTheRecordTime() {
        // A producer that leaves the record time to the wall clock (years after these observations): the incident's
        // timers still run on observedAt, so it neither subsides at once nor skips its fall.
        Instant now = Instant.now();
        // A post the test driver reads on its incident's partition (it reads every topic as partition 0), so that it is
        // counted where it is read: a post moved to its partition takes its event time along.
        String id = IntStream.range(1, 100).mapToObj(i -> "p" + i)
                .filter(i -> IncidentPartitions.of(i, ConfigLoader.load(null, java.util.Map.of()).kafka().partitions()) == 0)
                .findFirst().orElseThrow();
        for (int minute = 0; minute <= 10; minute++) {
            Post post = new Post(id, "forum", "http://bbs/" + id, "t", "x", "author", T0, T0.plusSeconds(60L * minute),
                    new Engagement(0, 12L * minute, 0, 0), false, null);
            driver.posts.pipeInput(new TestRecord<>(post.id(), Topics.POST.serialize("", post), now));
        }
        driver.heartbeat(T0.plusSeconds(60L * 10 + 1)); // ingest's, after them
        assertEquals(List.of(Level.MINOR, Level.MAJOR), severity.readValuesToList().stream().map(SeverityChange::to).toList());
        // A record nobody can read keeps its partition's time: it goes to posts.dlq and moves no clock.
        driver.posts.pipeInput(new TestRecord<>("bad", "{not json".getBytes(StandardCharsets.UTF_8), now));
        assertEquals(1, dlq.readValuesToList().size());
        driver.heartbeat(T0.plus(Duration.ofHours(1)));
        assertTrue(severity.isEmpty(), "an hour later the incident is still MAJOR, with its comments in the window");
    }

    @Test
    void reObservedPostNeverDoubleCounts() {
        for (int i = 0; i < 50; i++) {
            observe("p1", T0.plusSeconds(i), 99); // the same thread fetched again and again
        }
        assertEquals(List.of(Level.MINOR), severity.readValuesToList().stream().map(SeverityChange::to).toList());
        List<IncidentState> states = incidents.readValuesToList();
        assertEquals(99, states.get(states.size() - 1).metrics().comments());
        observe("p1", T0.plusSeconds(100), 100);
        assertEquals(Level.MAJOR, severity.readValue().to());
    }

    @Test
    void outOfOrderOrRepeatedSnapshotNeverMakesACountGoBack() {
        observe("p1", T0.plusSeconds(100), 90);
        observe("p1", T0.plusSeconds(50), 40);   // older snapshot arriving late
        observe("p1", T0.plusSeconds(100), 90);  // repeated
        observe("p1", T0.plusSeconds(200), 95);
        List<IncidentState> states = incidents.readValuesToList();
        assertEquals(2, states.size(), "the late and the repeated snapshot change nothing");
        assertEquals(95, states.get(1).metrics().comments());
        observe("p1", T0.plusSeconds(300), 100);
        SeverityChange major = severity.readValuesToList().get(1);
        assertEquals(Level.MAJOR, major.to());
        assertEquals(T0.plusSeconds(300), major.at());
    }

    @Test
    void commentsOlderThanTheWindowDoNotCount() {
        observe("p1", T0, 60);
        observe("p1", T0.plus(Duration.ofHours(24)), 140); // +80 at exactly 24 h: the first 60 are out
        assertEquals(List.of(Level.MINOR), severity.readValuesToList().stream().map(SeverityChange::to).toList());
        observe("p1", T0.plus(Duration.ofHours(25)), 160); // +20 within 24 h of the +80
        SeverityChange major = severity.readValue();
        assertEquals(Level.MAJOR, major.to());
        assertEquals(100, major.metrics().comments());
        assertEquals(T0.plus(Duration.ofHours(25)), major.at());
    }

    @Test
    void aMainstreamOutletMakesItMajorAtItsPostingInstant() {
        observe("p1", T0, 3);
        Post report = new Post("news1", "people.cn", "http://people.cn/1", "报道", "...", "人民网", T0.plusSeconds(600),
                T0.plusSeconds(600), Engagement.ZERO, true, "p1");
        observe(report);
        observe(report); // re-observing the outlet's post adds no second outlet
        List<SeverityChange> changes = severity.readValuesToList();
        assertEquals(2, changes.size());
        assertEquals(Level.MAJOR, changes.get(1).to());
        assertEquals(T0.plusSeconds(600), changes.get(1).at());
        assertEquals(List.of("outlets>=1"), changes.get(1).crossed());
        assertEquals("p1", changes.get(1).incidentId(), "the repost joins the original's incident");
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicWithTheirReason() {
        driver.posts.pipeInput(new TestRecord<>("bad1", "{not json".getBytes(StandardCharsets.UTF_8), T0));
        driver.posts.pipeInput(new TestRecord<>("bad2", "{\"schema\":\"post/1\",\"id\":\"bad2\"}".getBytes(StandardCharsets.UTF_8), T0));
        driver.posts.pipeInput(new TestRecord<>("bad3", new byte[] {(byte) 0xC3, (byte) 0x28}, T0));
        observe("good", T0, 1);
        List<DeadLetter> rejected = dlq.readValuesToList();
        assertEquals(3, rejected.size());
        assertTrue(rejected.get(0).reason().startsWith("malformed JSON"), rejected.get(0).reason());
        assertEquals("{not json", rejected.get(0).input());
        assertTrue(rejected.get(1).reason().contains("source is required"), rejected.get(1).reason());
        assertEquals("not valid UTF-8", rejected.get(2).reason());
        assertTrue(rejected.get(0).location().startsWith("posts.raw-0@"), rejected.get(0).location());
        assertEquals(1, severity.readValuesToList().size(), "the good post still opens its incident");
    }

    @Test
    void anAbsurdRecordMakesABoundedDeadLetter() {
        driver.posts.pipeInput(new TestRecord<>("huge", ("[" + "食".repeat(50_000)).getBytes(StandardCharsets.UTF_8), T0));
        DeadLetter rejected = dlq.readValue();
        assertTrue(rejected.input().getBytes(StandardCharsets.UTF_8).length <= DeadLetter.MAX_INPUT_BYTES);
        assertTrue(rejected.input().startsWith("[食食"), "cut at a character boundary, from the start");
        assertTrue(rejected.reason().endsWith("(input truncated to its first 64 KiB)"), rejected.reason());
    }

    @Test
    void aPostOutsideTheContractsBoundsIsADeadLetterAndTheNextPostIsClassified() {
        observe(new Post("long", "forum", "http://bbs/long", "t".repeat(700_000), "", "", T0, T0, Engagement.ZERO, false, null));
        observe("after", T0.plusSeconds(1), 1);
        DeadLetter rejected = dlq.readValue();
        assertEquals("title has 700000 characters, more than the 1000 allowed (input truncated to its first 64 KiB)", rejected.reason());
        assertEquals(List.of("after"), severity.readValuesToList().stream().map(SeverityChange::incidentId).toList());
    }

    @Test
    void aLongTitleIsQuotedShortInEveryEventThatNamesThePost() {
        String title = "食堂".repeat(500); // 1,000 characters: the longest a post may have
        observe(new Post("p1", "forum", "http://bbs/p1", title, "", "", T0, T0, new Engagement(0, 120, 0, 0), false, null));
        SeverityChange change = severity.readValuesToList().get(0);
        IncidentState state = incidents.readValuesToList().get(0);
        for (String quoted : List.of(change.rootPost().title(), change.topPosts().get(0).title(), state.rootPost().title())) {
            assertEquals(org.opinionwatch.contract.event.Limits.QUOTED_TITLE_CHARS, quoted.length());
            assertTrue(title.startsWith(quoted.substring(0, quoted.length() - 1)) && quoted.endsWith("…"), quoted);
        }
    }

    @Test
    void aCountAtTheLargestLongIsRefusedAndARepostStillCountsUpFromWhatIsKnown() {
        observe(new Post("p1", "forum", "http://bbs/p1", "t", "", "", T0, T0, new Engagement(0, Long.MAX_VALUE, 0, 0), false, null));
        observe(new Post("p1", "forum", "http://bbs/p1", "t", "", "", T0, T0.plusSeconds(1), new Engagement(0, 600, 0, 0), false, null));
        observe(new Post("r1", "forum", "http://bbs/r1", "t", "", "", T0, T0.plusSeconds(2), new Engagement(0, 5, 0, 0), false, "p1"));
        assertEquals("engagement.comments is 9223372036854775807, more than the 1000000000000 allowed", dlq.readValue().reason());
        List<IncidentState> states = incidents.readValuesToList();
        assertEquals(605, states.get(states.size() - 1).metrics().comments());
        assertTrue(states.stream().allMatch(s -> s.metrics().comments() >= 0 && s.metrics().views() >= 0), states.toString());
        assertEquals(Level.CRITICAL, states.get(states.size() - 1).level());
    }

    @Test
    void aRecordOfAnotherInputThatCannotBeReadIsADeadLetterOfTheStage() {
        driver.handover.pipeInput(new TestRecord<>("incident-1", "not an increment".getBytes(StandardCharsets.UTF_8), T0));
        observe("after", T0.plusSeconds(1), 1);
        DeadLetter letter = driver.stageDlq.readValue();
        assertEquals("classifier", letter.source());
        assertTrue(letter.location().startsWith("classifier.handover-0@"), letter.location());
        assertTrue(letter.reason().startsWith("deserialization: cannot read the record: SerializationException: malformed JSON"), letter.reason());
        assertEquals("not an increment", letter.input());
        assertEquals(1, severity.readValuesToList().size(), "the next post is classified");
        assertEquals(1.0, driver.meters.get("stage.dead.letters").tags("kind", "deserialization").counter().count());
    }
}
