package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;

/** The opinion-watch command as a user runs it: a JSON Lines archive replayed against a real broker. */
class CommandLineTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    @TempDir
    Path dir;

    private static String snapshot(Instant at, long comments) {
        Post post = new Post("bbs.example.edu/t/42", "bbs.example.edu", "https://bbs.example.edu/t/42", "食堂饭菜有异物",
                "今天在一食堂吃到了异物", "student01", T0, at, new Engagement(10 * comments, comments, 0, 0), false, null);
        return new String(Topics.POST.serialize("", post), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void replaysAJsonLinesArchiveAndRejectsItsBadLinesWithReasons() throws IOException {
        Path archive = dir.resolve("forum.jsonl");
        Files.write(archive, List.of(
                snapshot(T0, 0),
                snapshot(T0.plusSeconds(3600), 60),
                "{this is not json",
                snapshot(T0.plusSeconds(5400), 60).replace("\"schema\":\"post/1\"", "\"schema\":\"post/1\",\"colour\":\"red\""),
                snapshot(T0.plusSeconds(7200), 100),
                snapshot(T0.plusSeconds(7200), 100)));
        Path output = dir.resolve("out.jsonl");
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String namespace = "cli-" + System.nanoTime() + ".";

        int exit = Main.run("replay", "--format", "jsonl", "--input", archive.toString(), "--output", output.toString(),
                "--bootstrap", bootstrap, "--namespace", namespace);

        assertEquals(0, exit);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            lines.add(Json.TOLERANT.readTree(line));
        }
        List<JsonNode> changes = lines.stream().filter(l -> l.path("topic").asText().equals("incidents.severity")).toList();
        // a foreign object in canteen food is food safety: at MAJOR's threshold the plan makes it CRITICAL
        assertEquals(List.of("MINOR", "CRITICAL"), changes.stream().map(c -> c.path("event").path("to").asText()).toList());
        assertEquals(T0.plusSeconds(7200).toString(), changes.get(1).path("event").path("at").asText(),
                "at the snapshot that brings the comments to 100; the repeated snapshot adds nothing");
        assertEquals("[\"views>=1000\",\"comments>=100\",\"sensitive domain: food\"]", changes.get(1).path("event").path("crossed").toString());
        assertTrue(lines.stream().anyMatch(l -> l.path("topic").asText().equals("notifications")
                && l.path("event").path("duties").toString().contains("\"report-to-leadership\"")
                && l.path("event").path("incidentId").isTextual() && l.path("event").path("role").asText().equals("LEADERSHIP_GROUP")),
                "notification/2 on --output: the incident, the role, the duties");
        assertEquals(24 + 0, lines.stream().filter(l -> l.path("topic").asText().equals("tracking")).count(),
                "CRITICAL is tracked hourly for 24 h; MINOR only in the daily report");

        List<OutputEvent> rejected = OutputReader.readAll(PlainCluster.at(bootstrap), namespace, List.of(Topics.withPrefix(namespace).postsDlq()));
        assertEquals(2, rejected.size());
        assertTrue(rejected.get(0).event().path("location").asText().endsWith("forum.jsonl:3"), rejected.get(0).event().toString());
        assertTrue(rejected.get(0).event().path("reason").asText().startsWith("malformed JSON"), rejected.get(0).event().toString());
        assertEquals("{this is not json", rejected.get(0).event().path("input").asText());
        assertTrue(rejected.get(1).event().path("reason").asText().contains("colour"), rejected.get(1).event().toString());
    }

    /**
     * "Export today's incident and replay it": an archive of the last hour replays whole, its clock running a day
     * past the wall clock (the closing heartbeat, the checkpoints and deadlines it fires), and its lines out of bounds
     * are dead letters while the replay goes on.
     */
    @Test
    void replaysAnArchiveOfTheLastHourWithItsCheckpointsAndRejectsItsLinesOutOfBounds() throws IOException {
        Instant start = Instant.now().minus(java.time.Duration.ofMinutes(50)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Path archive = dir.resolve("today.jsonl");
        String year1969 = snapshot(start, 1).replaceAll("\"observedAt\":\"[^\"]+\"", "\"observedAt\":\"1969-12-31T23:59:59Z\"");
        String year1 = snapshot(start, 1).replaceAll("\"observedAt\":\"[^\"]+\"", "\"observedAt\":\"0001-01-01T00:00:00Z\"");
        Files.write(archive, List.of(
                snapshot(start, 0).replace(T0.toString(), start.toString()),
                year1969,
                snapshot(start.plusSeconds(600), 60).replace(T0.toString(), start.toString()),
                year1,
                snapshot(start.plusSeconds(1200), 100).replace(T0.toString(), start.toString())));
        Path output = dir.resolve("today-out.jsonl");
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String namespace = "today-" + System.nanoTime() + ".";

        int exit = Main.run("replay", "--format", "jsonl", "--input", archive.toString(), "--output", output.toString(),
                "--bootstrap", bootstrap, "--namespace", namespace);

        assertEquals(0, exit);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            lines.add(Json.TOLERANT.readTree(line));
        }
        Instant critical = start.plusSeconds(1200);
        assertEquals(List.of("MINOR", "CRITICAL"), lines.stream().filter(l -> l.path("topic").asText().equals("incidents.severity"))
                .map(l -> l.path("event").path("to").asText()).toList());
        List<Instant> checkpoints = lines.stream().filter(l -> l.path("topic").asText().equals("tracking"))
                .map(l -> Instant.parse(l.path("event").path("at").asText())).toList();
        assertEquals(24, checkpoints.size(), "CRITICAL tracked hourly for 24 h, all but the first ahead of the wall clock");
        assertEquals(critical.plus(java.time.Duration.ofHours(24)), checkpoints.get(23));
        assertTrue(lines.stream().anyMatch(l -> l.path("topic").asText().equals("notifications")
                && l.path("event").path("deadlines").has("report-to-leadership")
                && Instant.parse(l.path("event").path("deadlines").path("report-to-leadership").asText())
                        .equals(critical.plus(java.time.Duration.ofMinutes(30)))),
                "the report to the leadership, due at once");

        List<OutputEvent> rejected = OutputReader.readAll(PlainCluster.at(bootstrap), namespace, List.of(Topics.withPrefix(namespace).postsDlq()));
        assertEquals(List.of("today.jsonl:2", "today.jsonl:4"), rejected.stream().map(r -> r.event().path("location").asText()).toList());
        assertEquals(List.of(year1969, year1), rejected.stream().map(r -> r.event().path("input").asText()).toList());
        assertTrue(rejected.get(0).event().path("reason").asText().startsWith("out of bounds: observedAt is 1969-12-31T23:59:59Z, before"),
                rejected.get(0).event().toString());
    }

    /** The archive is read while the stages start: what makes it unreadable is still the command's one error. */
    @Test
    void anArchiveThatCannotBeReadIsSaidPlainly() throws IOException {
        Path archive = Files.createDirectories(dir.resolve("not-ced"));
        CommandRun run = CommandRun.of("replay", "--format", "weibo-ced", "--input", archive.toString(),
                "--bootstrap", EmbeddedKafka.shared().bootstrapServers(), "--namespace", "cli-" + System.nanoTime() + ".");
        String err = run.errAfter(1);
        assertTrue(err.contains("cannot read the archive " + archive + ": not a Weibo CED dataset"), err);
        assertFalse(err.contains("CompletionException"), err);
    }

    @Test
    void unknownFormatIsAUsageError() {
        assertEquals(2, Main.run("replay", "--format", "csv", "--input", "x", "--output", "y"));
    }

    @Test
    void aWrongSpeedOrAMissingArchiveIsAUsageErrorThatNamesTheOption() {
        String wrongSpeed = CommandRun.of("replay", "--format", "jsonl", "--input", dir.toString(),
                "--speed", "fast").errAfter(2);
        assertTrue(wrongSpeed.contains("Invalid value for option '--speed': expected max or a positive factor of real time"
                + " (3600: an archive hour per second), not 'fast'"), wrongSpeed);
        String wrongOrder = CommandRun.of("replay", "--format", "jsonl", "--input", dir.toString(),
                "--publish-order", "random").errAfter(2);
        assertTrue(wrongOrder.contains("'random' is not a publish order: time or partition"), wrongOrder);
        String pacedPartitions = CommandRun.of("replay", "--format", "jsonl", "--input", dir.toString(),
                "--publish-order", "partition", "--speed", "3600").errAfter(2);
        assertTrue(pacedPartitions.contains("--publish-order partition runs at --speed max only, not 3600x"), pacedPartitions);
        Path missing = dir.resolve("nope.jsonl");
        String noArchive = CommandRun.of("replay", "--format", "jsonl", "--input", missing.toString()).errAfter(2);
        assertTrue(noArchive.startsWith("--input " + missing + ": no such file or directory"), noArchive);
    }

    @Test
    void backtestAndExportMistakesAreSaidBeforeAnythingRuns() throws IOException {
        Path archive = Files.writeString(dir.resolve("a.jsonl"), snapshot(T0, 1) + "\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "window: PT1H\n");
        String notARule = CommandRun.of("backtest", "--format", "jsonl", "--input", archive.toString(),
                "--rules", rules.toString()).errAfter(1);
        assertTrue(notARule.contains(rules + ": key 'window' is not a rule"), notARule);
        String missing = CommandRun.of("backtest", "--format", "jsonl", "--input", archive.toString(),
                "--rules", dir.resolve("nope.yaml").toString()).errAfter(1);
        assertTrue(missing.contains(dir.resolve("nope.yaml") + ": no such config file"), missing);
        String three = CommandRun.of("backtest", "--format", "jsonl", "--input", archive.toString(),
                "--rules", rules.toString(), "--rules", rules.toString(), "--rules", rules.toString()).errAfter(2);
        assertTrue(three.startsWith("--rules: one or two files, not 3"), three);

        String both = CommandRun.of("export", "--bootstrap", "localhost:1", "--incident", "x",
                "--from", "2024-05-01T00:00:00Z", "--to", "2024-05-02T00:00:00Z", "--output", "out.jsonl").errAfter(2);
        assertTrue(both.contains("mutually exclusive"), both);
        String backwards = CommandRun.of("export", "--bootstrap", "localhost:1",
                "--from", "2024-05-02T00:00:00Z", "--to", "2024-05-01T00:00:00Z", "--output", "out.jsonl").errAfter(2);
        assertTrue(backwards.startsWith("--from 2024-05-02T00:00:00Z is not before --to 2024-05-01T00:00:00Z"), backwards);
        String notATime = CommandRun.of("export", "--bootstrap", "localhost:1",
                "--from", "yesterday", "--to", "2024-05-01T00:00:00Z", "--output", "out.jsonl").errAfter(2);
        assertTrue(notATime.contains("'--from'") && notATime.contains("\"yesterday\" is not an ISO-8601 instant"), notATime);
    }

    @Test
    void aConfigMistakeStopsTheCommandBeforeAnythingRuns() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "kafka:\n  partitons: 3\n");
        assertEquals(1, Main.run("replay", "--format", "jsonl", "--input", "x", "--output", "y", "--config", config.toString()));
    }
}
