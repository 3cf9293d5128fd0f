package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docker/prometheus checked by Prometheus's own tool: the rules, their unit tests, and the scrape config. */
class PromtoolRulesTest {
    private static final Path PROMETHEUS = DockerFiles.DOCKER.resolve("prometheus");
    private static final String INSTALL = "promtool is not installed: install Debian's prometheus package (apt-get install -y prometheus)";

    @Test
    void theAlertRulesAreValid() throws Exception {
        promtool("check", "rules", "alerts.yml");
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        promtool("test", "rules", "alerts.test.yml");
    }

    @Test
    void theScrapeConfigIsValid() throws Exception {
        promtool("check", "config", "prometheus.yml");
    }

    /** Runs promtool in docker/prometheus, where the files name each other; it must exit 0. */
    private static void promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " did not finish");
        assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + output);
    }

    /** promtool on the PATH; without it the tests are skipped, except in CI, where they must run. */
    private static Path promtool() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            assertNotEquals("true", System.getenv("CI"), INSTALL);
            assumeTrue(false, INSTALL);
        }
        return found.get();
    }
}
