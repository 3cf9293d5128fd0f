package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.archive.Archives;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.replay.Replay;

/**
 * The replay tools on the bundled sample (19 CED incidents, 6,145 snapshots) and a real broker, through the
 * commands as a user runs them. Three replays in all, to keep the suite fast: a backtest's two runs (A under the
 * plan's thresholds, B with MAJOR at 200 comments; both at full speed), and a paced replay, which must give exactly
 * run A's outputs. The exports read run A's namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayToolsTest {
    private static final PostBounds BOUNDS = PostBounds.archive(ConfigLoader.load(null, Map.of()).ingest().limits());

    static final Path SAMPLE = Path.of("..", "samples", "weibo-ced");
    /**
     * The sample's archive clock runs from April 2012 to August 2015, 1,225 days: at five million times real time its
     * posts take 21 s to publish, and a snapshot can still wait seconds for its turn.
     */
    static final String PACED = "5000000";
    static final String MAJOR_AT_200 = "thresholds: { major: { views: 1000, comments: 200, outlets: 1 } }\n";

    @TempDir
    static Path dir;

    JsonNode backtest;
    String namespaceA;
    Duration pacedWallTime;

    @BeforeAll
    void backtestThenAPacedReplay() throws IOException {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "thresholds: { major: { views: 1000, comments: 100, outlets: 1 } }\n");
        Path major200 = Files.writeString(dir.resolve("major-200.yaml"), MAJOR_AT_200);
        long started = System.nanoTime();
        assertEquals(0, Main.run("backtest", "--format", "weibo-ced", "--input", SAMPLE.toString(), "--rules", plan.toString(),
                "--rules", major200.toString(), "--json", dir.resolve("backtest.json").toString(),
                "--report", dir.resolve("backtest").toString(), "--bootstrap", bootstrap));
        System.out.printf("ReplayToolsTest: the backtest (two replays at full speed) took %.1f s%n", (System.nanoTime() - started) / 1e9);
        backtest = Json.TOLERANT.readTree(dir.resolve("backtest.json").toFile());
        namespaceA = backtest.path("a").path("namespace").asText();

        started = System.nanoTime();
        assertEquals(0, Main.run("replay", "--format", "weibo-ced", "--input", SAMPLE.toString(), "--speed", PACED,
                "--output", dir.resolve("paced.jsonl").toString(), "--report", dir.resolve("paced").toString(),
                "--bootstrap", bootstrap));
        pacedWallTime = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("ReplayToolsTest: the paced replay took %.1f s%n", pacedWallTime.toMillis() / 1000.0);
    }

    // ---- determinism ---------------------------------------------------------------------------------------

    @Test
    void aPacedReplayGivesTheSameEventsInTheSameOrderForEachIncidentAsAFullSpeedOne() throws IOException {
        Topics a = Topics.withPrefix(namespaceA);
        Path fullSpeed = dir.resolve("full-speed.jsonl");
        Replay.writeJsonLines(OutputReader.readAll(PlainCluster.at(EmbeddedKafka.shared().bootstrapServers()), namespaceA,
                List.of(a.severity(), a.notifications(), a.tracking())), fullSpeed);
        Map<String, List<String>> max = byIncident(fullSpeed);
        Map<String, List<String>> paced = byIncident(dir.resolve("paced.jsonl"));
        assertEquals(19, max.keySet().stream().filter(k -> k.startsWith("weibo-ced:")).count(), "the 19 incidents");
        assertTrue(max.keySet().stream().filter(k -> !k.startsWith("weibo-ced:")).allMatch(k -> k.equals("daily-report") || k.startsWith("digest-")),
                "and the daily report and the digests: " + max.keySet());
        assertEquals(max.keySet(), paced.keySet());
        for (String incident : max.keySet()) {
            assertEquals(max.get(incident), paced.get(incident), incident);
        }
        assertTrue(pacedWallTime.compareTo(Duration.ofSeconds(21)) > 0, "the paced run was paced");
    }

    @Test
    void andTheSameReport() throws IOException {
        JsonNode max = Json.TOLERANT.readTree(dir.resolve("backtest").resolve("a").resolve("report.json").toFile());
        JsonNode paced = Json.TOLERANT.readTree(dir.resolve("paced").resolve("report.json").toFile());
        assertEquals("5000000x", paced.path("run").path("speed").asText());
        ((ObjectNode) max).remove("run");
        ((ObjectNode) paced).remove("run");
        assertEquals(max, paced);
        assertEquals(1082, paced.path("summary").path("notifications").asLong(), "the sample's notifications, as in every run (daily reports included)");
    }

    /** The output file's lines by incident (the event's key), each incident's in the order written. */
    private static Map<String, List<String>> byIncident(Path output) throws IOException {
        Map<String, List<String>> lines = new TreeMap<>();
        for (String line : Files.readAllLines(output)) {
            lines.computeIfAbsent(Json.TOLERANT.readTree(line).path("key").asText(), k -> new ArrayList<>()).add(line);
        }
        return lines;
    }

    // ---- the backtest --------------------------------------------------------------------------------------

    /**
     * MAJOR at 200 comments instead of 100. An incident's MAJOR comes at the reaction that brings its trailing 24 h to
     * the threshold, or at once when a mainstream outlet posted it (5 of the sample: unchanged). The independent
     * count says, from the files: 3 incidents peak between 100 and 199 reactions in 24 h (1540: 116, 2080: 126,
     * 310: 158) and never reach MAJOR under B; 5 peak at 200 or more (880: 240, 1390: 295, 2870: 455, 960: 527,
     * 1890: 622) and reach it later, at their 200th reaction in 24 h, 23 min to 10 h later. None can be earlier.
     */
    @Test
    void majorAt200CommentsComesLaterOrNeverForTheIncidentsThatCrossedOnComments() throws IOException {
        Map<String, IndependentCount.Expected> at100 = IndependentCount.of(SAMPLE, 100);
        Map<String, IndependentCount.Expected> at200 = IndependentCount.of(SAMPLE, 200);
        Map<String, JsonNode> listed = new HashMap<>();
        backtest.path("incidents").forEach(i -> listed.put(i.path("id").asText(), i));
        Set<String> later = new TreeSet<>();
        Set<String> never = new TreeSet<>();
        for (String id : at100.keySet()) {
            Instant a = at100.get(id).major();
            Instant b = at200.get(id).major();
            JsonNode major = crossing(listed.get(id), "MAJOR");
            if (a == null ? b == null : a.equals(b)) {
                assertNull(major, id + " reaches MAJOR when it did");
                continue;
            }
            assertNotNull(major, id);
            assertEquals(a.toString(), major.path("a").asText(), id);
            if (b == null) {
                never.add(id);
                assertEquals("ONLY_A", major.path("change").asText(), id);
            } else {
                later.add(id);
                assertEquals(b.toString(), major.path("b").asText(), id);
                assertEquals(Duration.between(a, b).toSeconds(), major.path("difference").asLong(), id);
            }
        }
        assertEquals(Set.of("weibo-ced:1540_zAdq1hf8K_3501400657", "weibo-ced:2080_yEHDDajWD_2948319081",
                "weibo-ced:310_A0X34ffLq_1242567051"), never);
        assertEquals(5, later.size(), later.toString());
        JsonNode tally = backtest.path("byLevel").path("MAJOR");
        assertEquals(List.of(5, 0, 3, 0), List.of(tally.path("later").asInt(), tally.path("earlier").asInt(),
                tally.path("onlyA").asInt(), tally.path("onlyB").asInt()));
        backtest.path("byLevel").forEach(t -> assertEquals(0, t.path("earlier").asInt() + t.path("onlyB").asInt(),
                "no level is reached earlier, nor only, with a higher threshold: " + backtest.path("byLevel")));
    }

    /**
     * The MAJOR procedure's report to the leadership group (report-to-leadership) never comes earlier under B. For an
     * incident that reaches MAJOR later, it comes at the new MAJOR instant at the latest: earlier only when a forecast
     * of MAJOR, or growth over a tracking period, took the GENERAL incident to the major procedure before it crossed.
     */
    @Test
    void theReportToTheLeadershipComesLaterOrFromTheGeneralProcedureButNeverEarlier() {
        Map<String, String> reports = new TreeMap<>();
        for (JsonNode incident : backtest.path("incidents")) {
            JsonNode major = crossing(incident, "MAJOR");
            for (JsonNode n : incident.path("notifications")) {
                if (n.path("duty").asText().equals("report-to-leadership") && n.path("role").asText().equals("LEADERSHIP_GROUP")) {
                    long shift = n.path("firstDifference").asLong();
                    assertTrue(shift >= 0, "never earlier: " + incident.path("id") + " " + n);
                    if (major != null && major.path("change").asText().equals("LATER")) {
                        assertFalse(Instant.parse(n.path("firstB").asText()).isAfter(Instant.parse(major.path("b").asText())),
                                "reported at once: " + incident.path("id"));
                    }
                    String name = incident.path("id").asText().replaceFirst("weibo-ced:(\\d+)_.*", "$1");
                    reports.put(name, n.path("a").asInt() + " -> " + n.path("b").asInt() + ", first " + Duration.ofSeconds(shift));
                }
            }
        }
        assertTrue(reports.values().stream().anyMatch(r -> !r.endsWith("first PT0S")), "some report comes later under B: " + reports);
    }

    private static JsonNode crossing(JsonNode incident, String level) {
        if (incident == null) {
            return null;
        }
        for (JsonNode c : incident.path("crossings")) {
            if (c.path("level").asText().equals(level)) {
                return c;
            }
        }
        return null;
    }

    // ---- export --------------------------------------------------------------------------------------------

    @Test
    void anIncidentExportedFromTheReplaysNamespaceIsTheArchivesSnapshotsOfIt() throws IOException {
        String incident = "weibo-ced:1540_zAdq1hf8K_3501400657";
        Path exported = dir.resolve("1540.jsonl.gz");
        assertEquals(0, Main.run("export", "--bootstrap", EmbeddedKafka.shared().bootstrapServers(), "--namespace", namespaceA,
                "--incident", incident, "--output", exported.toString()));

        List<Post> expected = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS).posts().stream().filter(p -> p.id().equals(incident)).toList();
        assertEquals(125, expected.size(), "the original and its 124 reactions");
        var archive = Archives.read(ArchiveFormat.JSONL, exported, BOUNDS);
        assertEquals(expected, archive.posts(), "what replay --format jsonl reads");
        assertEquals(List.of(), archive.rejected());
    }

    @Test
    void aRangeExportHasTheSnapshotsObservedInIt() throws IOException {
        Instant from = Instant.parse("2013-06-07T00:00:00Z");
        Instant to = Instant.parse("2013-06-08T00:00:00Z");
        Path exported = dir.resolve("day.jsonl");
        assertEquals(0, Main.run("export", "--bootstrap", EmbeddedKafka.shared().bootstrapServers(), "--namespace", namespaceA,
                "--from", from.toString(), "--to", "2013-06-08T08:00:00+08:00", "--output", exported.toString()));

        List<Post> expected = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS).posts().stream()
                .filter(p -> !p.observedAt().isBefore(from) && p.observedAt().isBefore(to)).toList();
        assertTrue(expected.stream().map(Post::id).distinct().count() > 1, "more than one incident that day");
        // Posts observed at the same instant may come in another order; each post's snapshots keep theirs.
        assertEquals(byPost(expected), byPost(Archives.read(ArchiveFormat.JSONL, exported, BOUNDS).posts()));
    }

    private static Map<String, List<Post>> byPost(List<Post> posts) {
        Map<String, List<Post>> byPost = new TreeMap<>();
        posts.forEach(p -> byPost.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p));
        return byPost;
    }
}
