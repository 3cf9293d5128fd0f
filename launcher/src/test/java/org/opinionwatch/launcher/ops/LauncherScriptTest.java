package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.launcher.docs.Docs;

/**
 * bin/opinion-watch's choice of JVM options: the quick compiler for the demo, and for a replay on two processors, with
 * the serial collector on two processors (BENCHMARKS.md, "The JIT compiler and the collector"). Runs the script itself
 * in a copy of the checkout's layout, with a built jar in place and {@code java} and {@code nproc} on the PATH
 * answering for the machine.
 */
class LauncherScriptTest {
    private static final String QUICK = "-XX:TieredStopAtLevel=1";
    private static final String SERIAL = "-XX:+UseSerialGC";
    private static final String HEAP = "-Xms1g";

    @TempDir
    Path home;

    @BeforeEach
    void layout() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.copy(Docs.ROOT.resolve("bin/opinion-watch"), home.resolve("bin/opinion-watch"));
        Files.createDirectories(home.resolve("launcher/target"));
        Files.writeString(home.resolve("launcher/target/opinion-watch.jar"), "a jar newer than every source");
        // The JVM as the script calls it: what it was given, one argument a line.
        executable("fake/java", "printf '%s\\n' \"$@\"");
    }

    @Test
    void theDemoRunsWithTheQuickCompilerOnAnyMachineAndTheSerialCollectorOnTwoProcessors() throws Exception {
        assertEquals(List.of(QUICK, "-jar", jar(), "demo"), run(8, null, "demo"));
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "demo"), run(2, null, "demo"));
    }

    @Test
    void aReplayOnTwoProcessorsRunsWithTheQuickCompilerAndTheSerialCollector() throws Exception {
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "replay", "--input", "x"),
                run(2, null, "replay", "--input", "x"));
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "replay"), run(1, null, "replay"));
    }

    @Test
    void onMoreProcessorsAndForOtherCommandsTheJvmKeepsItsDefaults() throws Exception {
        assertEquals(List.of("-jar", jar(), "replay"), run(4, null, "replay"));
        assertEquals(List.of("-jar", jar(), "backtest"), run(2, null, "backtest"));
        assertEquals(List.of("-jar", jar(), "classifier"), run(2, null, "classifier"));
    }

    @Test
    void theVariableReplacesTheChoiceEvenWhenEmpty() throws Exception {
        assertEquals(List.of("-Xmx2g", "-jar", jar(), "replay"), run(2, "-Xmx2g", "replay"));
        assertEquals(List.of("-jar", jar(), "demo"), run(2, "", "demo"));
    }

    @Test
    void aBuildOlderThanASourceIsBuiltOnceAndThenUsed() throws Exception {
        Path runs = home.resolve("mvn-runs");
        // Maven as the script calls it: it counts its runs and, as Maven does when no class changed, leaves the jar be.
        executable("fake/mvn", "echo package >> '" + runs + "'");
        Files.setLastModifiedTime(Path.of(jar()), FileTime.from(Instant.now().minusSeconds(60)));
        Files.writeString(home.resolve("pom.xml"), "<project/>");
        run(2, null, "demo");
        run(2, null, "demo");
        assertEquals(List.of("package"), Files.readAllLines(runs));
    }

    private String jar() {
        return home.resolve("launcher/target/opinion-watch.jar").toString();
    }

    /** What the script passed to java, on a machine of {@code processors}, with OPINION_WATCH_JAVA_OPTS unset if null. */
    private List<String> run(int processors, String javaOpts, String... args) throws Exception {
        executable("fake/nproc", "echo " + processors);
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/opinion-watch").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", home.resolve("fake") + ":" + env.get("PATH"));
        env.remove("OPINION_WATCH_JAVA_OPTS");
        if (javaOpts != null) {
            env.put("OPINION_WATCH_JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), out);
        return out.lines().toList();
    }

    private void executable(String name, String body) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
