package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opinionwatch.launcher.Tools;

/** docker/prometheus checked by Prometheus's own tool: the rules, their unit tests, and the scrape config. */
class PromtoolRulesTest {
    private static final Path PROMETHEUS = DockerFiles.DOCKER.resolve("prometheus");

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
        Tools.requireOnPath("promtool", "prometheus");
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " did not finish");
        assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + output);
    }
}
