package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.launcher.UpgradeScenario.Events;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.launcher.pipeline.StageMetrics;

/**
 * This release's classifier and escalation start on the state a release left (the fixture in
 * {@code src/test/resources/upgrade}: its changelogs and how far it had read, at the cut of {@link UpgradeScenario})
 * and give after the cut exactly what an uninterrupted run of this release gives: open incidents, windows, deadlines,
 * the day's report and silences survive an upgrade (docs/architecture.md, "Formats and upgrades").
 *
 * <p>{@code -Dow.fixture.write=true} writes the fixture anew from this release, for the next one: see the README
 * beside it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeTest {
    /**
     * The topics the stages read what they wrote themselves: the classifier's decisions that a release's escalation
     * read (this one's timeline, the contract topics before it), and the classifier's handover loop (its promises).
     * The records the previous release read there are not in the new cluster, where the stages read what they write
     * after the cut, from the start.
     */
    private static final Set<String> WRITTEN_BY_THE_STAGES = Set.of("classifier.timeline", "incidents.severity", "incidents",
            "incidents.forecast", "classifier.handover");

    @Test
    @Order(1)
    @EnabledIfSystemProperty(named = "ow.fixture.write", matches = "true")
    void writeTheFixture() {
        OpinionWatchConfig config = UpgradeScenario.settings("upgrade-fixture");
        try (StageMetrics metrics = StageMetrics.start(config, false); Pipeline pipeline = Pipeline.start(config, true, metrics)) {
            new UpgradeScenario().publishFirstPart(config, pipeline);
        } // both stages stop cleanly here: they commit, and their changelogs hold what they kept
        StateFixture.capture(config).write(StateFixture.DIR);
    }

    @Test
    @Order(2)
    void thisReleaseGoesOnFromThePreviousReleasesStateAsIfNeverStopped() throws Exception {
        StateFixture fixture = StateFixture.read(StateFixture.DIR);
        UpgradeScenario scenario = new UpgradeScenario();
        Events straight = scenario.uninterrupted();

        OpinionWatchConfig config = UpgradeScenario.settings("upgrade");
        String prefix = config.topicNames().prefix();
        Events upgraded;
        try (Admin admin = Admin.create(KafkaClients.settings(config.kafka())); StageMetrics metrics = StageMetrics.start(config, false)) {
            TopicSetup.create(admin, config, true);
            scenario.publishFirstPart(config, () -> { });
            fixture.restoreChangelogs(admin, config);
            Map<TopicPartition, Long> published = endOffsets(admin, fixture.consumed().stream()
                    .filter(c -> !WRITTEN_BY_THE_STAGES.contains(c.topic())).map(c -> new TopicPartition(prefix + c.topic(), c.partition())).toList());
            // The input the previous release read is here again, exactly as much of it: it resumes after it.
            fixture.commit(admin, config, (tp, c) -> {
                if (WRITTEN_BY_THE_STAGES.contains(c.topic())) {
                    return null;
                }
                assertEquals(c.records(), published.get(tp), c.group() + " read " + c.records() + " records of " + tp
                        + " before the cut; the scenario publishes another number: it no longer matches the fixture");
                return c.records();
            });
            try (Pipeline pipeline = Pipeline.start(config, true, metrics)) {
                scenario.publishSecondPart(config, pipeline);
                upgraded = Events.of(config);
            }
        }

        Instant cut = UpgradeScenario.CUT;
        assertSameLines(fixture.outputs(), straight.until(cut), "this release decides the first part as the fixture's release "
                + "did; where it does not, what comes after the cut cannot tell a loss in the upgrade from the change "
                + "(src/test/resources/upgrade/README.md)");
        assertEquals(List.of(), upgraded.until(cut), "nothing before the cut is decided again");
        assertSameLines(straight.after(cut), upgraded.events(), "after the cut, the upgraded stages give what an uninterrupted run gives");

        // What the restored state decided after the cut, besides the posts that came after it:
        String major = UpgradeScenario.INCIDENTS.get(1);
        OutputEvent fall = upgraded.events().stream().filter(e -> e.topic().equals("incidents.severity") && e.key().equals(major))
                .findFirst().orElseThrow();
        assertEquals("CRITICAL", fall.event().path("from").asText(), "the incident's level before the cut: " + fall.event());
        assertEquals("MINOR", fall.event().path("to").asText(), "its window emptied of what it counted before the cut");

        List<JsonNode> before = fixture.outputs().stream().filter(e -> e.topic().equals("notifications")).map(OutputEvent::event).toList();
        List<JsonNode> overdue = upgraded.events().stream().filter(e -> e.topic().equals("notifications")).map(OutputEvent::event)
                .filter(n -> n.path("kind").asText().equals("OVERDUE"))
                .filter(n -> deadlineGivenBefore(before, n)).toList();
        assertFalse(overdue.isEmpty(), "a deadline given before the cut is overdue after it");

        JsonNode report = upgraded.events().stream().filter(e -> e.topic().equals("notifications")).map(OutputEvent::event)
                .filter(n -> n.path("kind").asText().equals("DAILY_REPORT")).findFirst().orElseThrow();
        // Its one level change of the day (今日级别变化 1 起) is the rise before the cut: kept in the desk's store.
        assertTrue(report.path("report").asText().contains("今日级别变化 1 起") && report.path("report").asText().contains("A1VD0majf"),
                "the day's report after the cut has the incident's rise before it: " + report);

        Instant until = UpgradeScenario.SILENCE.silence().until();
        assertEquals(List.of(), upgraded.events().stream().filter(e -> e.topic().equals("notifications"))
                .filter(e -> e.event().path("role").asText().equals("DEPARTMENT") && e.time().isBefore(until)).toList(),
                "the department's silence, set before the cut, holds after it");
        String held = UpgradeScenario.SILENCE.silence().id();
        assertTrue(upgraded.cases().stream().filter(c -> c.key().equals(major))
                        .flatMap(c -> lines(c.event().path("timeline")).stream())
                        .anyMatch(l -> l.contains(held) && Instant.parse(l.substring(0, l.indexOf(' '))).isAfter(cut)),
                "the case records what the silence held back after the cut");
    }

    /** Whether a notification's duties were given, with its instant as their deadline, before the cut. */
    private static boolean deadlineGivenBefore(List<JsonNode> before, JsonNode notification) {
        Instant at = Instant.parse(notification.path("at").asText());
        return before.stream().filter(b -> b.path("incidentId").asText().equals(notification.path("incidentId").asText()))
                .anyMatch(b -> lines(notification.path("duties")).stream()
                        .anyMatch(d -> b.path("deadlines").path(d).isTextual() && Instant.parse(b.path("deadlines").path(d).asText()).equals(at)));
    }

    /** The same events line for line; if not, the message names the first that differs, not both lists whole. */
    private static void assertSameLines(List<OutputEvent> expected, List<OutputEvent> actual, String what) {
        List<String> want = lines(expected);
        List<String> got = lines(actual);
        int i = 0;
        while (i < want.size() && i < got.size() && want.get(i).equals(got.get(i))) {
            i++;
        }
        if (i < want.size() || i < got.size()) {
            throw new AssertionError(what + ": " + want.size() + " events expected, " + got.size() + " given; the first difference, at "
                    + i + ":\n  expected " + (i < want.size() ? want.get(i) : "nothing more") + "\n  given    " + (i < got.size() ? got.get(i) : "nothing more"));
        }
    }

    private static List<String> lines(List<OutputEvent> events) {
        return events.stream().map(e -> e.topic() + " " + e.key() + " " + e.time() + " " + e.event()).toList();
    }

    private static List<String> lines(JsonNode array) {
        List<String> all = new java.util.ArrayList<>();
        array.forEach(n -> all.add(n.isTextual() ? n.asText() : n.path("at").asText() + " " + n.path("what").asText()));
        return all;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions) throws ExecutionException, InterruptedException {
        return offsets(admin, partitions, OffsetSpec.latest());
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().distinct().collect(Collectors.toMap(tp -> tp, tp -> spec));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
