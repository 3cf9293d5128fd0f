package org.opinionwatch.classifier.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.classifier.window.IncidentEntries;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;

/** The incident as a state machine, with no Kafka: increments, checks, joins and judgement in, decisions out. */
class IncidentMachineTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final OpinionWatchConfig.Classifier SETTINGS = ConfigLoader.load(null, Map.of()).classifier();
    private static final RuleBook BOOK = RuleBook.of(SETTINGS);

    /** Incidents as a processor would hold them, and everything the machine decided, in order. */
    private final IncidentMachine machine = new IncidentMachine(SETTINGS, () -> BOOK);
    private final Map<String, IncidentRecord> records = new HashMap<>();
    private final Map<String, IncidentEntries> entries = new HashMap<>();
    private final Map<String, String> joined = new HashMap<>();
    private final List<Decision> decisions = new ArrayList<>();

    private static Instant hours(double h) {
        return T0.plusMillis((long) (h * 3_600_000));
    }

    private static Increment comments(String incident, String post, Instant at, long n, boolean first) {
        return new Increment(incident, "school", new PostRef(post, "http://bbs/" + post, "t"), post.equals(incident), at,
                new Engagement(0, n, 0, 0), List.of(), first ? 1 : 0, false, List.of(), List.of(), null, null);
    }

    private IncidentMachine.Loaded load(String id) {
        return new IncidentMachine.Loaded(id, records.get(id), () -> entries.computeIfAbsent(id, k -> IncidentEntries.inMemory()), joined.get(id));
    }

    private Step keep(String id, Step step) {
        if (step.after() == null) {
            records.remove(id);
        } else {
            records.put(id, step.after());
        }
        if (step.joinedTo() != null) {
            joined.put(id, step.joinedTo());
        }
        decisions.addAll(step.decisions());
        return step;
    }

    private Step apply(Increment inc) {
        return keep(inc.incidentId(), machine.apply(load(inc.incidentId()), inc));
    }

    private Step check(String id) {
        return keep(id, machine.check(load(id), records.get(id).nextCheck()));
    }

    private List<String> changes() {
        return decisions.stream().filter(d -> d instanceof Decision.Update u && u.change() != null)
                .map(d -> ((Decision.Update) d).change()).map(c -> c.incidentId() + " " + c.from() + "->" + c.to() + "@" + c.at()).toList();
    }

    @Test
    void risesAtTheIncrementThatReachesTheThresholdAndChecksAgainWhenItCanFall() {
        apply(comments("p1", "p1", T0, 60, true));
        Step step = apply(comments("p1", "p1", hours(1), 40, false));
        assertEquals(List.of("p1 NONE->MINOR@" + T0, "p1 MINOR->MAJOR@" + hours(1)), changes());
        assertEquals(hours(24), step.after().nextCheck(), "the first 60 comments leave the window at 24 h");
        assertEquals(100, step.after().window().comments());
    }

    @Test
    void aCheckFallsAfterTheCoolDownAndAQuietIncidentSubsides() {
        apply(comments("p1", "p1", T0, 150, true));
        check("p1");                                      // 24 h: the comments left, below the band since then
        assertEquals(hours(30), records.get("p1").nextCheck(), "24 h expiry + 6 h cool-down");
        check("p1");
        Instant calm = T0.plus(BOOK.settings().calmPeriod());
        assertEquals(calm, records.get("p1").nextCheck());
        check("p1");
        assertEquals(List.of("p1 NONE->MAJOR@" + T0, "p1 MAJOR->MINOR@" + hours(30), "p1 MINOR->NONE@" + calm), changes());
        assertNull(records.get("p1").nextCheck(), "nothing more can happen to a subsided incident without a post");
    }

    @Test
    void anIncrementFiresTheChecksDueBeforeItFirst() {
        apply(comments("p1", "p1", T0, 150, true));
        apply(comments("p1", "p1", hours(31), 1, false));  // the fall was due at 30 h: decided before the increment counts
        assertEquals(List.of("p1 NONE->MAJOR@" + T0, "p1 MAJOR->MINOR@" + hours(30)), changes());
    }

    @Test
    void anIncrementOlderThanItsIncidentsWindowIsReportedNotCounted() {
        apply(comments("p1", "p1", hours(30), 10, true));
        Step step = apply(comments("p1", "p2", hours(5), 200, true));
        assertEquals(List.of(new Decision.NotCounted("p1", hours(5), hours(30))), step.decisions());
        assertEquals(10, records.get("p1").window().comments());
        assertEquals(2, records.get("p1").posts(), "the post itself still counts");
    }

    @Test
    void countsBeforeTheOpeningPostAreCaughtUpAtTheirOwnInstants() {
        apply(new Increment("p1", null, new PostRef("r1", "http://bbs/r1", "t"), false, hours(2), new Engagement(0, 120, 0, 0), List.of(), 1,
                false, List.of(), List.of(), null, null));       // a repost on no subject, before its original
        apply(comments("p1", "p1", hours(1), 1, true));
        assertEquals(List.of("p1 NONE->MINOR@" + hours(1), "p1 MINOR->MAJOR@" + hours(2)), changes());
    }

    @Test
    void aJoiningStoryHandsItsCountsOverAndClosesItsIncident() {
        apply(comments("p1", "p1", T0, 150, true));
        Step step = apply(comments("p1", "p1", hours(1), 0, false).joining("p9"));
        assertNull(step.after());
        assertEquals("p9", step.joinedTo());
        List<Increment> handed = step.decisions().stream().filter(d -> d instanceof Decision.Handover)
                .map(d -> ((Decision.Handover) d).increment()).toList();
        assertEquals(List.of(150L, 0L), handed.stream().map(i -> i.delta().comments()).toList());
        assertTrue(handed.stream().allMatch(i -> i.incidentId().equals("p9")));
        assertEquals(List.of("p1 NONE->MAJOR@" + T0, "p1 MAJOR->NONE@" + hours(1)), changes());
        Step later = apply(comments("p1", "p2", hours(2), 7, true));
        assertEquals(List.of("p9"), later.decisions().stream().map(d -> ((Decision.Handover) d).increment().incidentId()).toList(),
                "later increments of the story follow it");
    }

    @Test
    void judgementSetsTheLevelShownAndIgnoresIncidentsNotOpenHere() {
        apply(comments("p1", "p1", T0, 150, true));
        apply(Increment.judged(new Action("a1", "p1", Action.Kind.SET_LEVEL, null, Level.CRITICAL, null, null, "王主任", "涉及学生安全", hours(1))));
        SeverityChange set = decisions.stream().filter(d -> d instanceof Decision.Update u && u.change() != null)
                .map(d -> ((Decision.Update) d).change()).reduce((a, b) -> b).orElseThrow();
        assertEquals(Level.CRITICAL, set.to());
        assertEquals(Level.MAJOR, records.get("p1").level(), "the automatic level stays");
        Step unknown = apply(Increment.judged(new Action("a2", "p7", Action.Kind.DISMISS, null, null, null, null, "王主任", "不实", hours(1))));
        assertTrue(unknown.decisions().get(0) instanceof Decision.NotJudged, unknown.decisions().toString());
        assertEquals(Duration.ofHours(24), SETTINGS.window());
    }
}
