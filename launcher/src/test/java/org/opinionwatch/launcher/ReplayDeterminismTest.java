package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.serde.Json;

/**
 * The bundled sample replayed twice through the {@code replay} command on a real broker, once at full speed and once
 * paced, must give the same outputs: the same events with the same ids, in the same order for each incident, and
 * the same report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayDeterminismTest {
    static final Path SAMPLE = Path.of("..", "samples", "weibo-ced");
    /**
     * The sample's archive clock runs from April 2012 to August 2015, 1,225 days: at five million times real time
     * its posts take 21 s to publish, and a snapshot can still wait up to a few seconds for its turn.
     */
    static final String PACED = "5000000";

    @TempDir
    static Path dir;

    final Map<String, Run> runs = new TreeMap<>();

    record Run(String namespace, Path output, Path report, Duration wallTime) {
    }

    @BeforeAll
    void replayTwice() {
        for (String speed : List.of("max", PACED)) {
            String namespace = "determinism-" + speed + "-" + System.nanoTime() + ".";
            Path output = dir.resolve("events-" + speed + ".jsonl");
            Path report = dir.resolve("report-" + speed);
            long started = System.nanoTime();
            int exit = Main.run("replay", "--format", "weibo-ced", "--input", SAMPLE.toString(), "--speed", speed,
                    "--output", output.toString(), "--report", report.toString(),
                    "--bootstrap", EmbeddedKafka.shared().bootstrapServers(), "--namespace", namespace);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(0, exit, "replay at speed " + speed);
            System.out.printf("ReplayDeterminismTest: the sample at speed %s took %.1f s%n", speed, took.toMillis() / 1000.0);
            runs.put(speed, new Run(namespace, output, report, took));
        }
    }

    @Test
    void bothSpeedsGiveTheSameEventsInTheSameOrderForEachIncident() throws IOException {
        Map<String, List<String>> max = byIncident(runs.get("max").output());
        Map<String, List<String>> paced = byIncident(runs.get(PACED).output());
        assertEquals(19, max.size() - (max.containsKey("daily-report") ? 1 : 0), "every incident of the sample");
        assertEquals(max.keySet(), paced.keySet());
        for (String incident : max.keySet()) {
            assertEquals(max.get(incident), paced.get(incident), incident);
        }
        assertTrue(runs.get(PACED).wallTime().compareTo(Duration.ofSeconds(21)) > 0, "the paced run was paced");
    }

    @Test
    void bothSpeedsGiveTheSameReport() throws IOException {
        JsonNode max = Json.TOLERANT.readTree(runs.get("max").report().resolve("report.json").toFile());
        JsonNode paced = Json.TOLERANT.readTree(runs.get(PACED).report().resolve("report.json").toFile());
        assertEquals("max", max.path("run").path("speed").asText());
        assertEquals("5000000x", paced.path("run").path("speed").asText());
        ((ObjectNode) max).remove("run");
        ((ObjectNode) paced).remove("run");
        assertEquals(max, paced);
    }

    /** The output file's lines by incident (the event's key), each incident's in the order written. */
    private static Map<String, List<String>> byIncident(Path output) throws IOException {
        Map<String, List<String>> lines = new TreeMap<>();
        for (String line : Files.readAllLines(output)) {
            String key = Json.TOLERANT.readTree(line).path("key").asText();
            lines.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
        return lines;
    }
}
