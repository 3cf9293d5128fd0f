package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.launcher.docs.Docs;

/**
 * {@code opinion-watch demo} as the README tells a newcomer to run it: it runs, prints a timeline of the 19 sample
 * incidents and its closing line, prints the same twice, and the README quotes that closing line as it is.
 */
class DemoCommandTest {
    /** The closing line with its wall time left out: the rest must not change from one run to the next. */
    private static final Pattern DONE = Pattern.compile("Done in [0-9.]+ s: (.*)");

    @TempDir
    Path dir;

    @Test
    void printsTheSameTimelineTwiceAndTheReadmeQuotesIt() throws IOException {
        // Free ports: fixed ones (9401-9404) may be taken on a machine that runs a stack or another test.
        Path config = Files.writeString(dir.resolve("ports.yaml"), String.join("\n",
                "ingest: { metricsPort: 0 }", "classifier: { metricsPort: 0 }", "escalation: { metricsPort: 0 }",
                "notifier: { metricsPort: 0 }", ""));
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();

        CommandRun first = CommandRun.of("demo", "--bootstrap", bootstrap, "--config", config.toString());
        CommandRun second = CommandRun.of("demo", "--bootstrap", bootstrap, "--config", config.toString());

        assertEquals(0, first.exit(), first.err());
        assertEquals(0, second.exit(), second.err());
        List<String> incidents = first.out().lines().filter(l -> l.startsWith("Incident weibo-ced:")).toList();
        assertEquals(19, incidents.size(), "the 19 incidents of the bundled sample: " + incidents);
        assertTrue(first.out().contains("  notify LEADERSHIP_GROUP"), "who was told what: " + first.out());
        assertTrue(first.out().contains("hourly checkpoints"), "the tracking of each incident");
        assertEquals(withoutWallTime(first.out()), withoutWallTime(second.out()), "a replay is deterministic");

        String done = closingLine(first.out());
        String readme = Files.readString(Docs.ROOT.resolve("README.md"));
        Matcher quoted = DONE.matcher(readme.lines().filter(l -> l.startsWith("Done in ")).findFirst().orElse(""));
        assertTrue(quoted.matches(), "the README quotes the demo's closing line");
        assertEquals(done, quoted.group(1), "the README's figures are the demo's");
    }

    private static String closingLine(String out) {
        Matcher m = DONE.matcher(out.lines().filter(l -> l.startsWith("Done in ")).findFirst().orElse(""));
        assertTrue(m.matches(), "the closing line: " + out);
        return m.group(1);
    }

    private static String withoutWallTime(String out) {
        return out.replaceAll("Done in [0-9.]+ s", "Done in _ s");
    }
}
