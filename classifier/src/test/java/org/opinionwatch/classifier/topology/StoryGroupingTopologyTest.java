package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * Stories told twice (near-duplicate original posts on one subject within the window) make one incident: the later
 * story's incident opens with its original post, as every incident does, and closes into the earlier one as soon as
 * the story grouper recognises it, taking its counts along.
 */
class StoryGroupingTopologyTest {
    private static final Instant T0 = ClassifierDriver.T0;
    // Two real retellings of one story (Weibo CED), the second reworded, and a different story.
    private static final String DOG_1 = "《一只救了32条人命的搜救犬牺牲了，同样是生命，为它默哀吧！》——昨天下午一只军用搜救犬发现一位大爷，"
            + "它就钻进废墟里救人，结果余震发生，它被压在了废墟下面。";
    private static final String DOG_2 = "【一只救了32条人命的搜救犬牺牲了】昨天下午一只军用搜救犬发现一位大爷，它就钻进废墟里救人，"
            + "结果余震发生，它被压在了废墟下面。同样是生命，为它默哀吧！";
    private static final String OTHER = "【新闻联播：火车盒饭只要5元！ 你吃过吗？】《新闻联播》记者亲身登上火车，报道火车上的盒饭供应情况。";

    @TempDir
    Path dir;

    private static Post root(String id, Instant at, String text, long comments) {
        return new Post(id, "weibo", "https://weibo.com/" + id, "", text, "u-" + id, at, at, new Engagement(0, comments, 0, 0), false, null);
    }

    private static Post repost(String id, String of, Instant at) {
        return new Post(id, "weibo", "https://weibo.com/" + id, "", "", "u-" + id, at, at, new Engagement(0, 1, 0, 0), false, of);
    }

    private ClassifierDriver driver(String extraYaml) throws Exception {
        return new ClassifierDriver(ConfigLoader.load(extraYaml == null ? null : Files.writeString(dir.resolve("opinion-watch.yaml"), extraYaml), Map.of()));
    }

    @Test
    void aRetoldStoryJoinsTheFirstAndTheirCommentsCrossTogether() throws Exception {
        try (ClassifierDriver d = driver(null)) {
            d.observe(root("a", T0, DOG_1, 60));
            d.observe(root("b", T0.plus(Duration.ofHours(2)), DOG_2, 39));
            assertEquals(List.of("a:MINOR"), changes(d.severity.readValuesToList()), "b joins a before it counts as an incident of its own");

            d.observe(repost("r1", "b", T0.plus(Duration.ofHours(3)))); // the 100th comment, on a repost of b
            List<SeverityChange> changes = d.severity.readValuesToList();
            assertEquals(List.of("a:MAJOR"), changes(changes), "60 + 39 + 1 comments within 24 h on one story");
            assertEquals(100, changes.get(0).metrics().comments());

            IncidentState a = last(d.incidents.readValuesToList(), "a");
            assertEquals(3, a.posts());
            assertEquals(List.of("b"), a.joinedStories().stream().map(PostRef::id).toList());
            assertEquals("a", a.rootPost().id(), "the first story stays the incident's original post");
        }
    }

    @Test
    void whatTheJoiningIncidentCountedMovesWithIt() throws Exception {
        try (ClassifierDriver d = driver(null)) {
            d.observe(root("a", T0, DOG_1, 60));
            // b's reposts are collected before b itself: they are counted under b until b's story is grouped
            for (int i = 0; i < 30; i++) {
                d.observe(repost("r" + i, "b", T0.plus(Duration.ofMinutes(70 + i))));
            }
            d.observe(root("b", T0.plus(Duration.ofHours(1)), DOG_2, 10));
            List<SeverityChange> changes = d.severity.readValuesToList();
            assertEquals(List.of("a:MINOR", "b:MINOR", "b:NONE", "a:MAJOR"), changes(changes), "60 + 30 + 10 comments, all on a");
            assertEquals(100, changes.get(3).metrics().comments());
            assertEquals(T0.plus(Duration.ofMinutes(99)), changes.get(3).at(), "at the instant the 100th comment was made");
            assertEquals(32, last(d.incidents.readValuesToList(), "a").posts());

            d.observe(repost("late", "b", T0.plus(Duration.ofHours(5)))); // after the join: handed over as it comes
            assertEquals(101, last(d.incidents.readValuesToList(), "a").metrics().comments());
        }
    }

    /**
     * The later story's task runs ahead, the earlier story's lags: the grouper waits for both tasks' promises and
     * decides in event-time order, so the later story joins the earlier, as it does when they arrive in order.
     */
    @Test
    void storiesAreGroupedInEventTimeOrderWhicheverArrivesFirst() throws Exception {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "2")), false)) {
            d.observe(root("b", T0.plus(Duration.ofHours(2)), DOG_2, 1));
            d.observe(root("a", T0, DOG_1, 1));
            assertEquals(List.of(), changes(d.severity.readValuesToList()), "both wait for the lagging task");
            d.promise(1, T0.plus(Duration.ofHours(3)));
            assertEquals(List.of("a:MINOR"), changes(d.severity.readValuesToList()), "b joins a, the earlier story");
            IncidentState a = last(d.incidents.readValuesToList(), "a");
            assertEquals(2, a.posts());
            assertEquals(List.of("b"), a.joinedStories().stream().map(PostRef::id).toList());
        }
    }

    /**
     * A story's increments while the grouper has not decided it: those after its first observation wait once, in the
     * incident processor, marked as awaiting the word; the first observation and one observed out of order, before it,
     * wait in the router. When the story joins another incident, all of them count there and none under its own.
     */
    @Test
    void whatAStoryGainsWhileAwaitingTheWordIsHeldOnceAndGoesWhereTheStoryGoes() throws Exception {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "2")), false)) {
            d.observe(root("b", T0.plus(Duration.ofHours(2)), DOG_2, 1));
            d.observe(repost("early", "b", T0.plus(Duration.ofMinutes(110))));
            d.observe(repost("r1", "b", T0.plus(Duration.ofMinutes(130))));
            d.observe(repost("r2", "b", T0.plus(Duration.ofMinutes(140))));
            d.observe(root("a", T0, DOG_1, 1));
            assertEquals(List.of(), changes(d.severity.readValuesToList()), "all wait for the lagging task");
            var awaiting = d.driver.<String, OrderedBuffer.Waiting>getKeyValueStore(ClassifierTopology.AWAITING_STORE);
            var waiting = d.driver.<String, OrderedBuffer.Waiting>getKeyValueStore(ClassifierTopology.WAITING_STORE);
            assertEquals(List.of("a", "b", "early"), heldPosts(awaiting, false), "the stories and what came before b, in the router");
            assertEquals(List.of("r1", "r2"), heldPosts(waiting, true), "the later ones, once, where they will count");

            d.promise(1, T0.plus(Duration.ofHours(3)));
            assertEquals(List.of("a:MINOR"), changes(d.severity.readValuesToList()), "b joins a and never opens");
            IncidentState a = last(d.incidents.readValuesToList(), "a");
            assertEquals(5, a.posts(), "a, b and b's three reposts");
            assertEquals(5, a.metrics().comments());
            assertEquals(List.of(), heldPosts(waiting, true));
        }
    }

    /** The posts of the increments a store holds, in key order, those marked awaiting the word or not. */
    private static List<String> heldPosts(org.apache.kafka.streams.state.KeyValueStore<String, OrderedBuffer.Waiting> store, boolean awaitingWord) {
        List<String> posts = new java.util.ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> kv.value.held().stream().filter(h -> h.awaitingWord() == awaitingWord)
                    .forEach(h -> posts.add(h.increment().post().id())));
        }
        return posts;
    }

    @Test
    void differentStoriesAndStoriesOutsideTheWindowStayApart() throws Exception {
        try (ClassifierDriver d = driver(null)) {
            d.observe(root("a", T0, DOG_1, 1));
            d.observe(root("c", T0.plus(Duration.ofHours(1)), OTHER, 1));
            d.observe(root("b", T0.plus(Duration.ofHours(30)), DOG_2, 1));
            assertEquals(List.of("a:MINOR", "c:MINOR", "b:MINOR"), changes(d.severity.readValuesToList()));
        }
    }

    @Test
    void groupingCanBeTurnedOff() throws Exception {
        try (ClassifierDriver d = driver("classifier:\n  grouping: { enabled: false }\n")) {
            d.observe(root("a", T0, DOG_1, 1));
            d.observe(root("b", T0.plus(Duration.ofHours(2)), DOG_2, 1));
            assertEquals(List.of("a:MINOR", "b:MINOR"), changes(d.severity.readValuesToList()));
        }
    }

    @Test
    void storiesOnDifferentSubjectsStayApart() throws Exception {
        String subjects = """
                classifier:
                  subjects:
                    - { id: rescue, name: Rescue, keywords: [搜救犬], exclude: [默哀吧！》] }
                    - { id: all, name: Everything, catchAll: true }
                """;
        try (ClassifierDriver d = driver(subjects)) {
            d.observe(root("a", T0, DOG_1, 1)); // excluded from rescue: on the catch-all subject
            d.observe(root("b", T0.plus(Duration.ofHours(2)), DOG_2, 1));
            assertEquals(List.of("a:MINOR", "b:MINOR"), changes(d.severity.readValuesToList()));
        }
    }

    @Test
    void countsOfAnIncidentThatNeverOpensLeaveWithTheirWindow() throws Exception {
        try (ClassifierDriver d = driver("""
                classifier:
                  subjects:
                    - { id: canteen, name: Canteen, keywords: [食堂] }
                """)) {
            // A repost on no subject of an original not seen yet: counted, in case the original opens the incident.
            d.observe(new Post("r1", "weibo", "http://weibo/r1", "转发", "无关的内容", "someone", T0, T0,
                    new Engagement(10, 5, 0, 0), false, "o1"));
            var entries = d.driver.<String, Object>getKeyValueStore(ClassifierTopology.WINDOW_ENTRY_STORE);
            assertEquals(1, count(entries), "the repost's increment is kept");
            d.heartbeat(T0.plus(Duration.ofHours(25)));
            assertEquals(0, count(entries), "gone once it has left the 24 h window, although the incident never opened");
            assertTrue(d.severity.isEmpty());
        }
    }

    private static int count(org.apache.kafka.streams.state.KeyValueStore<String, Object> store) {
        try (var all = store.all()) {
            int n = 0;
            for (; all.hasNext(); all.next()) {
                n++;
            }
            return n;
        }
    }

    private static List<String> changes(List<SeverityChange> changes) {
        return changes.stream().map(c -> c.incidentId() + ":" + c.to()).toList();
    }

    private static IncidentState last(List<IncidentState> states, String id) {
        return states.stream().filter(s -> s.incidentId().equals(id)).reduce((x, y) -> y).orElseThrow();
    }
}
