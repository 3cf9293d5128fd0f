package org.opinionwatch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.launcher.Main;

/** {@code opinion-watch bench} on a real broker with a small load, and its synthetic load on its own. */
class BenchCommandTest {
    private static final List<Subject> SUBJECTS = ConfigLoader.load(null, Map.of()).classifier().subjects();
    private static final Path SAMPLE = Path.of("..", "samples", "weibo-ced");

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedOthers() {
        SyntheticLoad first = SyntheticLoad.generate(SUBJECTS, 7, 2000);
        assertEquals(first, SyntheticLoad.generate(SUBJECTS, 7, 2000));
        assertNotEquals(first.posts(), SyntheticLoad.generate(SUBJECTS, 8, 2000).posts());
    }

    @Test
    void itsStoriesDifferAsGroupingTellsThemApart() {
        var classifier = ConfigLoader.load(null, Map.of()).classifier();
        var grouping = classifier.grouping();
        Map<String, java.time.Instant> when = new java.util.HashMap<>();
        var rule = new org.opinionwatch.classifier.story.StoryGrouping(grouping.similarity(), grouping.minBigrams());
        List<org.opinionwatch.classifier.story.StoryGrouping.Story> told = new java.util.ArrayList<>();
        int joined = 0;
        int originals = 0;
        for (Post p : SyntheticLoad.generate(SUBJECTS, 1, 20_000).posts()) {
            // Original posts on a campus topic (those about nothing the school watches are never grouped), once each.
            boolean campus = SyntheticLoad.isCampus(p);
            if (campus && p.repostOf() == null && !when.containsKey(p.id())) {
                var fingerprint = org.opinionwatch.classifier.story.StoryFingerprint.of(p.title(), p.text());
                // As the classifier groups them: among the stories of the trailing window.
                told.removeIf(s -> !when.get(s.incidentId()).isAfter(p.observedAt().minus(classifier.window())));
                joined += rule.incidentFor(fingerprint, told).isPresent() ? 1 : 0;
                when.put(p.id(), p.observedAt());
                originals++;
                told.add(new org.opinionwatch.classifier.story.StoryGrouping.Story(p.id(), fingerprint));
            }
        }
        assertTrue(joined < originals / 20, joined + " of " + originals + " original posts tell a story already told");
    }

    @Test
    void theBurstIsOneStoryWhoseCommentsGrowEvenlyToTheTotal() {
        List<Post> burst = SyntheticLoad.burst(SUBJECTS, 1, 5000, 550);
        assertEquals(5000, burst.size());
        assertEquals(1, burst.stream().map(Post::rootId).distinct().count(), "one incident: one partition");
        Map<String, Long> highest = new java.util.HashMap<>();
        for (int i = 0; i < burst.size(); i++) {
            Post p = burst.get(i);
            Long before = highest.put(p.id(), p.engagement().comments());
            assertTrue(before == null || before <= p.engagement().comments(), p.id() + " counts only grow");
            if (i == burst.size() / 2 - 1) {
                assertEquals(275, highest.values().stream().mapToLong(Long::longValue).sum(), "half the comments at half way");
            }
        }
        assertEquals(550, highest.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void theLoadLooksLikeForumsAndWeibo() {
        SyntheticLoad load = SyntheticLoad.generate(SUBJECTS, 1, 5000);
        List<Post> posts = load.posts();
        assertEquals(5000, posts.size());
        for (int i = 1; i < posts.size(); i++) {
            assertFalse(posts.get(i).observedAt().isBefore(posts.get(i - 1).observedAt()), "in event-time order at " + i);
        }
        Map<String, Post> last = new HashMap<>();
        for (Post p : posts) {
            Post before = last.put(p.id(), p);
            if (before != null) {
                assertTrue(p.observedAt().isAfter(before.observedAt()), p.id() + " observed later each time");
                assertEquals(before.engagement().max(p.engagement()), p.engagement(), p.id() + " counts only grow");
            }
        }
        assertTrue(last.size() < posts.size() / 2, "posts are observed several times");
        assertTrue(posts.stream().anyMatch(p -> p.repostOf() != null), "reposts");
        assertTrue(posts.stream().anyMatch(Post::mainstream), "mainstream outlets pick up viral stories");
        assertTrue(posts.stream().anyMatch(p -> p.text().contains("學")), "Traditional Chinese");
        assertTrue(posts.stream().anyMatch(p -> p.text().contains("学")), "Simplified Chinese");
        assertTrue(load.viral() > 0 && load.offSubject() > 0 && load.traditional() > 0);
        assertTrue(posts.stream().anyMatch(p -> p.engagement().views() >= 3000), "some go viral past CRITICAL's views");
    }

    @Test
    void printsThroughputLatencyFootprintAndRatios(@TempDir Path dir) throws Exception {
        String output = run("bench", "--posts", "2000", "--bootstrap", EmbeddedKafka.shared().bootstrapServers(),
                // the sample replayed in each round, as replay replays it
                "--archive", SAMPLE.toString(), "--archive-format", "weibo-ced",
                // two measured runs of each throughput phase, each pass-through kept busy for a second
                "--repeats", "2", "--min-seconds", "1",
                // near what both stages sustain, long enough to send the whole load: every crossing it holds is timed,
                // those of its first half as the stages' start-up
                "--rates", "80", "--rate-seconds", "60",
                // one story for three seconds: its comments cross MAJOR and CRITICAL
                "--burst-seconds", "3");

        for (String line : List.of("1 raw producer -> consumer", "2 pass-through Streams", "2b pass-through, each post read and written as JSON", "3 classifier",
                "3c pipeline: classifier and escalation", "measured run 2 of 2", "pass-through / raw", "classifier / pass-through",
                "classifier / JSON pass-through", "pipeline / JSON pass-through", "classifier CPU", "heap used after GC",
                "state on disk", "writes per snapshot", "Order of arrival", "increments dropped as late", "changes in one run only",
                "offered in percent of the pipeline's median throughput")) {
            assertTrue(output.contains(line), line + " in:\n" + output);
        }
        Matcher classifier = Pattern.compile("3 classifier \\(Classifier.start\\)\\s+([\\d,]+)").matcher(output);
        assertTrue(classifier.find() && Integer.parseInt(classifier.group(1).replace(",", "")) > 0, output);
        // the load published in event-time order to a running classifier, and as a backlog before it starts
        Matcher arrival = Pattern.compile("severity changes decided\\s+([\\d,]+)\\s+([\\d,]+)").matcher(output);
        assertTrue(arrival.find() && Integer.parseInt(arrival.group(1).replace(",", "")) > 0
                && Integer.parseInt(arrival.group(2).replace(",", "")) > 0, output);
        // measured even when the phase's first commit covered the whole load and it is timed from its start
        Matcher classifierCpu = Pattern.compile("classifier CPU\\s+(\\d+) µs").matcher(output);
        assertTrue(classifierCpu.find() && Integer.parseInt(classifierCpu.group(1)) > 0, output);
        Matcher pipelineCpu = Pattern.compile("pipeline CPU\\s+(\\d+) µs .*the classifier (\\d+) µs, the escalation (\\d+) µs").matcher(output);
        assertTrue(pipelineCpu.find() && Integer.parseInt(pipelineCpu.group(2)) > 0 && Integer.parseInt(pipelineCpu.group(3)) > 0
                && Math.abs(Integer.parseInt(pipelineCpu.group(2)) + Integer.parseInt(pipelineCpu.group(3)) - Integer.parseInt(pipelineCpu.group(1))) <= 1,
                "both stages' processor time, each stage's adding up to it, in:\n" + output);
        Matcher ratio = Pattern.compile("classifier / JSON pass-through\\s+(\\d+\\.\\d+)\\s+target >= 0.50: (met|MISSED)").matcher(output);
        assertTrue(ratio.find() && Double.parseDouble(ratio.group(1)) > 0, output);
        Matcher pipeline = Pattern.compile("3c pipeline: classifier and escalation\\s+([\\d,]+)\\s+([\\d,]+) - ([\\d,]+)").matcher(output);
        assertTrue(pipeline.find(), output);
        int lowest = Integer.parseInt(pipeline.group(2).replace(",", ""));
        assertTrue(lowest > 0 && lowest <= Integer.parseInt(pipeline.group(1).replace(",", ""))
                && Integer.parseInt(pipeline.group(1).replace(",", "")) <= Integer.parseInt(pipeline.group(3).replace(",", "")),
                "the median between the lowest and the highest run: " + output);
        // the latency phase runs both stages: its rates are shares of what they sustain together
        Matcher offered = Pattern.compile("\\n  80%\\s+([\\d,]+).* <= (\\d+) ms / (\\d+) ms\\n").matcher(output);
        assertTrue(offered.find(), output);
        assertEquals(0.8 * Integer.parseInt(pipeline.group(1).replace(",", "")), Integer.parseInt(offered.group(1).replace(",", "")), 1.0,
                "80% of the pipeline's median: " + output);
        // beside it, the classifier's own intake-to-decision latency of the same rises
        assertTrue(Integer.parseInt(offered.group(2)) > 0 && Integer.parseInt(offered.group(2)) <= Integer.parseInt(offered.group(3)), output);
        // what the escalation wrote for the people: notifications and checkpoints among its outputs
        Matcher escalationWrites = Pattern.compile("The escalation's writes in the pipeline phase.*\\n  writes per snapshot +[\\d.]+ records.*"
                + "output topics ([\\d.]+)\\n  the most written +(.*)\\n").matcher(output);
        assertTrue(escalationWrites.find() && Double.parseDouble(escalationWrites.group(1)) > 0, output);
        assertTrue(escalationWrites.group(2).contains("notifications") && escalationWrites.group(2).contains("escalation-cases-changelog"),
                escalationWrites.group(2));
        Matcher hashes = Pattern.compile("Load ([0-9a-f]{12}), settings ([0-9a-f]{12})").matcher(output);
        assertTrue(hashes.find(), output);

        // offered, records/s, achieved, sent, changes (MAJOR or CRITICAL), p50, p99, p99.9, max
        Matcher latency = Pattern.compile("80%\\s+[\\d,]+\\s+[\\d,]+\\s+(\\d+)\\s+(\\d+) \\((\\d+)\\)\\s+(\\d+) ms\\s+(\\d+) ms\\s+(\\d+) ms")
                .matcher(output);
        assertTrue(latency.find(), output);
        // the start-up's snapshots first, timed apart: half the load here, the rate's first seconds in a longer run
        Matcher startUp = Pattern.compile("start-up at 80%: ([\\d,]+) snapshots sent as the stages started, (\\d+) changes, p99 (\\d+) ms").matcher(output);
        assertTrue(startUp.find(), output);
        assertEquals(1000, Integer.parseInt(startUp.group(1).replace(",", "")), "half the load as start-up: " + output);
        assertTrue(Integer.parseInt(startUp.group(2)) > 0, "the start-up's changes timed apart: " + output);
        assertEquals(1000, Integer.parseInt(latency.group(1)), "the rest of the load was sent and timed");
        assertTrue(Integer.parseInt(latency.group(2)) > 0, "latency samples: " + output);
        assertTrue(Integer.parseInt(latency.group(3)) > 0, "incidents crossed MAJOR or CRITICAL: " + output);
        assertTrue(Integer.parseInt(latency.group(4)) <= Integer.parseInt(latency.group(5)), "p50 <= p99");

        Matcher burst = Pattern.compile("achieved [\\d,]+/s: ([\\d,]+) snapshots; (\\d+) severity changes \\((\\d+) to MAJOR or CRITICAL\\)")
                .matcher(output);
        assertTrue(burst.find(), output);
        assertEquals(2, Integer.parseInt(burst.group(3)), "the story rose to MAJOR and to CRITICAL: " + output);
        assertEquals(3, Integer.parseInt(burst.group(2)), "its first level too, observed as the phase began: " + output);
        assertTrue(output.matches("(?s).*observed -> change    p50 \\d+ ms, p99 \\d+ ms, max \\d+ ms.*"), output);
        assertTrue(output.matches("(?s).*lag back to zero      \\d+ ms after the last snapshot.*"), output);

        Matcher replayed = Pattern.compile("3d the archive replayed \\(below\\), snapshots/s\\s+([\\d,]+)").matcher(output);
        assertTrue(replayed.find() && Integer.parseInt(replayed.group(1).replace(",", "")) > 0, output);
        Matcher share = Pattern.compile("the replay's median time\\s+[\\d.]+ s\\s+(\\d+\\.\\d+) of the JSON pass-through's").matcher(output);
        assertTrue(share.find() && Double.parseDouble(share.group(1)) > 0, output);
        Matcher events = Pattern.compile("events, as replay --output writes them\\s+([\\d,]+)\\s+the same in every replay: "
                + "SHA-256 of the events file ([0-9a-f]{12})").matcher(output);
        assertTrue(events.find(), "every replay gave the same events: " + output);
        // the very events of replay --output, as a user replays the archive
        Path file = dir.resolve("events.jsonl");
        String replay = run("replay", "--format", "weibo-ced", "--input", SAMPLE.toString(), "--publish-order", "partition", "--output",
                file.toString(), "--bootstrap", EmbeddedKafka.shared().bootstrapServers());
        Matcher published = Pattern.compile("Published ([\\d,]+) post snapshots").matcher(replay);
        Matcher perReplay = Pattern.compile("snapshots published by a replay\\s+([\\d,]+)").matcher(output);
        assertTrue(published.find() && perReplay.find(), output);
        assertEquals(published.group(1), perReplay.group(1), "each replay publishes the archive as replay does");
        Matcher perRun = Pattern.compile("as keep it busy for --min-seconds: (\\d+) at the fewest").matcher(output);
        assertTrue(perRun.find() && Integer.parseInt(perRun.group(1)) >= 1, output);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))).substring(0, 12),
                events.group(2), "the hash of replay's events file");
        assertEquals(Files.readAllLines(file).size(), Integer.parseInt(events.group(1).replace(",", "")));
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, Main.run("bench", "--posts", "10"));
        assertEquals(2, Main.run("bench", "--posts", "many"));
        assertEquals(2, Main.run("bench", "--rates", "50,0"));
        assertEquals(2, Main.run("bench", "--rate-seconds", "0"));
        assertEquals(2, Main.run("bench", "--repeats", "0"));
        assertEquals(2, Main.run("bench", "--min-seconds", "0"));
        assertEquals(2, Main.run("bench", "--burst-seconds", "0"));
        assertEquals(2, Main.run("bench", "--streams", "no.such.setting=1"));
        assertEquals(2, Main.run("bench", "--streams", "state.dir=/tmp/x"));
        assertEquals(2, Main.run("bench", "--archive", SAMPLE.toString()));
        assertEquals(2, Main.run("bench", "--archive-format", "weibo-ced"));
        assertEquals(2, Main.run("bench", "--archive", "no-such-archive", "--archive-format", "weibo-ced"));
    }

    private static String run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run(args);
        } finally {
            System.setOut(stdout);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        stdout.print(output);
        assertEquals(0, exit, output);
        return output;
    }
}
