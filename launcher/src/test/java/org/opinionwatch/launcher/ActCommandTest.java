package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.actions.Actions;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;

/** {@code opinion-watch act} as a person runs it, against a real broker. */
class ActCommandTest {
    @TempDir
    Path dir;

    @Test
    void publishesAnActionThatAConsumerReadsBack() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String prefix = "act-" + System.nanoTime() + ".";
        Path config = Files.writeString(dir.resolve("config.yaml"), "topics: { prefix: " + prefix + " }\n");
        Action expected = Action.of("bbs.example.edu/t/42", Action.Kind.FORWARDED, "舆情办公室 李老师", "转后勤处",
                Instant.parse("2024-05-01T09:30:00Z"));

        CommandRun run = CommandRun.of("act", "bbs.example.edu/t/42", "forwarded", "--by", "舆情办公室 李老师", "--note", "转后勤处",
                "--at", "2024-05-01T17:30:00+08:00", "--bootstrap", bootstrap, "--config", config.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals("Recorded action " + expected.id() + ": bbs.example.edu/t/42 forwarded by 舆情办公室 李老师 at "
                + "2024-05-01T09:30:00Z; fulfils " + Actions.fulfils(Action.Kind.FORWARDED) + System.lineSeparator(), run.out());
        List<OutputEvent> published = OutputReader.readAll(PlainCluster.at(bootstrap), prefix, List.of(Topics.withPrefix(prefix).actions()));
        assertEquals(1, published.size());
        assertEquals("bbs.example.edu/t/42", published.get(0).key());
        assertEquals(expected.at(), published.get(0).time());
        assertEquals(expected, Topics.ACTION.parse(published.get(0).event().toString()));
    }

    @Test
    void anUnknownKindIsAUsageErrorListingTheKinds() {
        CommandRun run = CommandRun.of("act", "x", "done", "--by", "a", "--bootstrap", "127.0.0.1:9");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("unknown kind \"done\": one of acknowledged, forwarded, responded, resolved, reviewed"), run.err());
    }

    @Test
    void anEmptyNameOrAFutureTimeIsAUsageError() {
        CommandRun empty = CommandRun.of("act", "x", "resolved", "--by", " ", "--bootstrap", "127.0.0.1:9");
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("--by must name who acted"), empty.err());

        Instant future = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        CommandRun ahead = CommandRun.of("act", "x", "resolved", "--by", "a", "--at", future.toString(), "--bootstrap", "127.0.0.1:9");
        assertEquals(2, ahead.exit());
        assertTrue(ahead.err().contains("--at " + future + " is in the future"), ahead.err());
    }

    /** A cluster that does not answer: said so within the timeout, not a hang. */
    @Test
    void anUnreachableClusterIsAnErrorWithinTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();

        CommandRun run = CommandRun.of("act", "x", "resolved", "--by", "a", "--bootstrap", "127.0.0.1:" + closedPort, "--timeout", "2");

        assertEquals(1, run.exit());
        assertEquals("opinion-watch act: no answer from the Kafka cluster at 127.0.0.1:" + closedPort + " within 2 s: "
                + "is it running, and reachable from here? A cluster that requires authentication gives no answer to a client "
                + "without the kafka.security settings (docs/kafka-security.md). Nothing was recorded." + System.lineSeparator(), run.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0, "gave up in time");
    }
}
