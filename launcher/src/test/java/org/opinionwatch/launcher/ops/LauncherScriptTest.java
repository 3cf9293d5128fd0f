package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.launcher.docs.Docs;

/**
 * bin/opinion-watch's choice of JVM options: the quick compiler for the demo, and for a replay on two processors, with
 * the serial collector on two processors (BENCHMARKS.md, "The JIT compiler and the collector"); the class archive a
 * replay writes and later replays and demos map ("Class data sharing"). Runs the script itself in a copy of the
 * checkout's layout, with a built jar in place and {@code java} and {@code nproc} on the PATH answering for the machine;
 * the archive's last test with the JVM itself.
 */
class LauncherScriptTest {
    private static final String QUICK = "-XX:TieredStopAtLevel=1";
    private static final String SERIAL = "-XX:+UseSerialGC";
    private static final String HEAP = "-Xms1g";
    private static final String QUIET_CDS = "-Xlog:cds=off";
    private static final String QUIET_DYNAMIC = "-Xlog:cds+dynamic=off";

    @TempDir
    Path home;

    @BeforeEach
    void layout() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.copy(Docs.ROOT.resolve("bin/opinion-watch"), home.resolve("bin/opinion-watch"));
        Files.createDirectories(home.resolve("launcher/target"));
        Files.writeString(home.resolve("launcher/target/opinion-watch.jar"), "a jar newer than every source");
        // The JVM as the script calls it: what it was given, one argument a line; it writes the class archive it is
        // asked for, and exits with the status in the file "status", if there is one.
        executable("fake/java", """
                printf '%s\\n' "$@"
                for arg in "$@"; do case "$arg" in -XX:ArchiveClassesAtExit=*) echo classes > "${arg#*=}" ;; esac; done
                exit "$(cat "$(dirname "$0")/../status" 2>/dev/null || echo 0)"
                """);
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
    void aReplayWritesTheClassArchiveAsItEndsAndLaterReplaysAndDemosMapIt() throws Exception {
        jvmBuild("17.0.15+6-Debian-1deb12u1");
        String archive = home.resolve("launcher/target/opinion-watch-17.0.15-6-Debian-1deb12u1.jsa").toString();
        List<String> first = run(2, null, "replay", "--input", "x");
        assertEquals(List.of(QUICK, SERIAL, HEAP), first.subList(0, 3));
        assertTrue(first.get(3).startsWith("-XX:ArchiveClassesAtExit=" + archive + "."), first.toString());
        assertEquals(List.of(QUIET_CDS, QUIET_DYNAMIC, "-jar", jar(), "replay", "--input", "x"), first.subList(4, first.size()));
        assertEquals(List.of("classes"), Files.readAllLines(Path.of(archive)));
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-XX:SharedArchiveFile=" + archive, QUIET_CDS, QUIET_DYNAMIC, "-jar", jar(), "replay"),
                run(2, null, "replay"));
        assertEquals(List.of(QUICK, "-XX:SharedArchiveFile=" + archive, QUIET_CDS, QUIET_DYNAMIC, "-jar", jar(), "demo"),
                run(8, null, "demo"));
        // Other commands, and any command with the variable set, leave it be.
        assertEquals(List.of("-jar", jar(), "classifier"), run(2, null, "classifier"));
        assertEquals(List.of("-Xmx2g", "-jar", jar(), "replay"), run(2, "-Xmx2g", "replay"));
        assertEquals(List.of(Path.of(archive)), targetFiles("*.jsa*"));
    }

    @Test
    void aDemoAFailedReplayOrAskingForHelpWritesNoArchive() throws Exception {
        jvmBuild("17.0.15+6-Debian-1deb12u1");
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "demo"), run(2, null, "demo"));
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "replay", "--help"), run(2, null, "replay", "--help"));
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "replay", "-hV"), run(2, null, "replay", "-hV"));
        Files.writeString(home.resolve("status"), "2");
        List<String> failed = run(2, null, 2, "replay", "--input", "missing");
        assertTrue(failed.get(3).startsWith("-XX:ArchiveClassesAtExit="), failed.toString());
        assertEquals(List.of(), targetFiles("*.jsa*"), "a failed run's archive is removed");
    }

    @Test
    void anArchiveOlderThanTheBuildIsWrittenAgainAndAnUnknownJvmGetsNone() throws Exception {
        jvmBuild("17.0.15+6-Debian-1deb12u1");
        Path archive = home.resolve("launcher/target/opinion-watch-17.0.15-6-Debian-1deb12u1.jsa");
        Files.writeString(archive, "classes of an older build");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(60)));
        assertTrue(run(2, null, "replay").get(3).startsWith("-XX:ArchiveClassesAtExit="));
        assertEquals(List.of("classes"), Files.readAllLines(archive));
        Files.delete(home.resolve("release"));
        assertEquals(List.of(QUICK, SERIAL, HEAP, "-jar", jar(), "replay"), run(2, null, "replay"));
    }

    /**
     * With the JVM itself and a jar of one class, which prints whether the archive is mapped into its process: the
     * replay writes it, silently, and the demo after it maps it.
     */
    @Test
    void theJvmWritesTheArchiveAndMapsIt() throws Exception {
        Files.delete(home.resolve("fake/java"));
        String main = MapsArchive.class.getName();
        try (var jar = new JarOutputStream(Files.newOutputStream(Path.of(jar())), manifest(main));
             var bytes = MapsArchive.class.getResourceAsStream("/" + main.replace('.', '/') + ".class")) {
            jar.putNextEntry(new JarEntry(main.replace('.', '/') + ".class"));
            bytes.transferTo(jar);
        }
        assertEquals(List.of("replay: no archive mapped"), run(8, null, "replay"));
        List<Path> archives = targetFiles("*.jsa*");
        assertEquals(1, archives.size(), archives.toString());
        assertTrue(archives.get(0).getFileName().toString().endsWith(".jsa"), archives.toString());
        assertEquals(List.of("demo: " + archives.get(0) + " mapped"), run(8, null, "demo"));
    }

    /** Prints whether a class archive of the launcher's target directory is mapped into this process. */
    public static final class MapsArchive {
        public static void main(String[] args) throws IOException {
            String mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(file -> file.contains("/launcher/target/") && file.endsWith(".jsa"))
                    .findFirst().map(file -> file + " mapped").orElse("no archive mapped");
            System.out.println(args[0] + ": " + mapped);
        }
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
        return run(processors, javaOpts, 0, args);
    }

    /** {@link #run(int, String, String...)}, the script ending with {@code status}. */
    private List<String> run(int processors, String javaOpts, int status, String... args) throws Exception {
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
        assertEquals(status, process.exitValue(), out);
        return out.lines().toList();
    }

    /** The JVM on the PATH as its release file names it, as the script reads it. */
    private void jvmBuild(String version) throws IOException {
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17\"\nJAVA_RUNTIME_VERSION=\"" + version + "\"\n");
    }

    private List<Path> targetFiles(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var files = Files.newDirectoryStream(home.resolve("launcher/target"), glob)) {
            files.forEach(found::add);
        }
        return found;
    }

    private static Manifest manifest(String mainClass) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        return manifest;
    }

    private void executable(String name, String body) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
