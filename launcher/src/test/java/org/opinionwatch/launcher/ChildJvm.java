package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/** {@code opinion-watch} in a JVM of its own, with this test's class path, its output in files: as a supervisor runs it. */
record ChildJvm(Process process, Path out, Path errFile) {
    static ChildJvm start(Path dir, Map<String, String> env, String... args) throws IOException {
        // Its temporary files in the test's directory: a JVM killed leaves the native libraries it unpacked (RocksDB's
        // and lz4's, 16 MB) where the JVM would have deleted them at its exit.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        return new ChildJvm(builder.start(), out, err);
    }

    /**
     * A stage command in {@code config}'s namespace (its topics and application ids), its state in {@code stateDir},
     * its metrics on a free port; {@code env} on top.
     */
    static ChildJvm stage(Path dir, OpinionWatchConfig config, Path stateDir, Map<String, String> env, String... args) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("OW_TOPICS_PREFIX", config.topics().prefix(),
                "OW_CLASSIFIER_APPLICATION_ID", config.classifier().applicationId(),
                "OW_ESCALATION_APPLICATION_ID", config.escalation().applicationId(),
                "OW_STREAMS_STATE_DIR", stateDir.toString(),
                "OW_CLASSIFIER_METRICS_PORT", "0",
                "OW_ESCALATION_METRICS_PORT", "0"));
        all.putAll(env);
        return start(dir, all, args);
    }

    void awaitOutput(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
            assertTrue(process.isAlive(), "exited with " + (process.isAlive() ? "" : process.exitValue()) + " before printing " + text + ":\n" + err());
            assertTrue(System.nanoTime() < deadline, "no " + text + " within 120 s:\n" + err());
            Thread.sleep(100);
        }
    }

    int awaitExit(Duration within) throws Exception {
        assertTrue(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS), "still running after " + within + ":\n" + err());
        return process.exitValue();
    }

    String err() {
        try {
            return Files.readString(errFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGKILL (what {@link Process#destroyForcibly} sends on Linux): no shutdown hook runs, nothing is closed or flushed. */
    void kill() {
        process.destroyForcibly();
    }

    /** {@link #kill}, and returns once the process is gone. */
    void killAndWait() throws InterruptedException {
        kill();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still alive 30 s after SIGKILL");
    }
}
