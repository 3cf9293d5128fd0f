package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opinionwatch.launcher.ops.DockerFiles.DOCKER;
import static org.opinionwatch.launcher.ops.DockerFiles.ROOT;
import static org.opinionwatch.launcher.ops.DockerFiles.STAGES;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus's scrape config and alert rules and Grafana's provisioning, against compose.yaml, the code and the docs. */
class MonitoringFilesTest {
    static final Set<String> ALERTS = Set.of("OpinionWatchStageDown", "OpinionWatchConsumerLagGrowing",
            "OpinionWatchDeadlineOverdue", "OpinionWatchDeadLettersGrowing", "OpinionWatchStageRestarting",
            "OpinionWatchKafkaUnreachable", "OpinionWatchStreamsNotRunning", "OpinionWatchStreamThreadFailed",
            "OpinionWatchSourceSilent", "OpinionWatchDeliveriesFailing", "OpinionWatchNotificationsRefused",
            "OpinionWatchStageDeadLetters", "OpinionWatchIngestSilent");
    private static final String RUNBOOKS = "docs/alerts.md";
    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)]");

    @Test
    void prometheusScrapesEachStageAtTheMetricsPortOfItsConfig() {
        JsonNode services = DockerFiles.compose().path("services");
        JsonNode prometheus = DockerFiles.yaml("prometheus/prometheus.yml");
        Map<String, List<String>> targets = new HashMap<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            assertEquals("/metrics", job.path("metrics_path").asText("/metrics"), job.path("job_name").asText());
            List<String> jobTargets = new ArrayList<>();
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> jobTargets.add(t.asText())));
            targets.put(job.path("job_name").asText(), jobTargets);
        }

        Map<String, List<String>> expected = new HashMap<>();
        for (String stage : STAGES.keySet()) {
            int port = ComposeFileTest.METRICS_PORT.get(stage).applyAsInt(ComposeFileTest.config(services.path(stage)));
            expected.put(stage, List.of(stage + ":" + port));
        }
        assertEquals(expected, targets, "one job per stage, named as its service, at its metrics port");
        assertEquals("15s", prometheus.at("/global/scrape_interval").asText());
    }

    @Test
    void prometheusFindsItsConfigAndRulesWhereComposeMountsThem() {
        JsonNode service = DockerFiles.compose().at("/services/prometheus");
        String configFile = DockerFiles.command(service).stream().filter(a -> a.startsWith("--config.file="))
                .findFirst().orElseThrow().substring("--config.file=".length());
        Path config = DockerFiles.hostPathOf(service, configFile);

        assertEquals(DOCKER.resolve("prometheus/prometheus.yml").normalize(), config);
        for (JsonNode rules : DockerFiles.yaml("prometheus/prometheus.yml").path("rule_files")) {
            assertTrue(Files.isRegularFile(config.resolveSibling(rules.asText())), rules.asText());
        }
        assertEquals(List.of("alerts.yml"), texts(DockerFiles.yaml("prometheus/prometheus.yml").path("rule_files")));
    }

    @Test
    void everyAlertSaysHowSevereItIsWhatItMeansAndLinksToItsRunbook() throws IOException {
        JsonNode groups = DockerFiles.yaml("prometheus/alerts.yml").path("groups");
        Set<String> anchors = anchors(RUNBOOKS);
        Set<String> names = new HashSet<>();

        assertEquals(1, groups.size());
        assertEquals("opinion-watch", groups.at("/0/name").asText());
        boolean alertSeen = false;
        for (JsonNode rule : groups.at("/0/rules")) {
            if (rule.has("record")) {
                assertFalse(alertSeen, "recorded series come before the alerts that read them: " + rule);
                assertTrue(rule.path("record").asText().matches("[a-z_]+:[a-z_]+:[a-z]+"), "level:metric:operation, as Prometheus names recorded series: " + rule);
                continue;
            }
            alertSeen = true;
            String name = rule.path("alert").asText();
            names.add(name);
            assertTrue(rule.path("for").asText().matches("\\d+[smh]"), name + " has a for:");
            assertTrue(Set.of("warning", "critical").contains(rule.at("/labels/severity").asText()), name + " has a severity");
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertFalse(rule.path("annotations").path(annotation).asText().isBlank(), name + " has a " + annotation);
            }
            String runbook = rule.at("/annotations/runbook").asText();
            assertEquals(RUNBOOKS + "#" + name.toLowerCase(Locale.ROOT), runbook, name);
            assertTrue(anchors.contains(runbook.substring(RUNBOOKS.length() + 1)), name + ": " + RUNBOOKS + " has " + runbook);
        }
        assertEquals(ALERTS, names);
    }

    /** A runbook whose alert was renamed or removed would mislead whoever finds it. */
    @Test
    void everyRunbookIsForAnAlertThatExists() throws IOException {
        Set<String> sections = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve(RUNBOOKS))) {
            if (line.startsWith("## OpinionWatch")) {
                sections.add(line.substring(3).strip());
            }
        }

        assertEquals(ALERTS, sections);
    }

    @Test
    void theRuleUnitTestsShowEveryAlertFiringAndNotFiring() {
        JsonNode tests = DockerFiles.yaml("prometheus/alerts.test.yml");
        Set<String> fires = new HashSet<>();
        Set<String> stays = new HashSet<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? stays : fires).add(check.path("alertname").asText());
            }
        }

        assertEquals(List.of("alerts.yml"), texts(tests.path("rule_files")));
        assertEquals(ALERTS, fires, "each alert fires in a test");
        assertEquals(ALERTS, stays, "each alert stays silent in a test");
    }

    @Test
    void grafanaLoadsTheDatasourceAndTheDashboardWhereComposeMountsThem() {
        JsonNode grafana = DockerFiles.compose().at("/services/grafana");
        JsonNode datasources = DockerFiles.yaml("grafana/provisioning/datasources/prometheus.yaml").path("datasources");
        JsonNode provider = DockerFiles.yaml("grafana/provisioning/dashboards/opinion-watch.yaml").at("/providers/0");
        String dashboards = provider.at("/options/path").asText();
        Map<String, String> env = DockerFiles.environment(grafana);

        assertEquals(DOCKER.resolve("grafana/provisioning").normalize(), DockerFiles.hostPathOf(grafana, "/etc/grafana/provisioning"));
        assertEquals("file", provider.path("type").asText());
        for (String dashboard : List.of("opinion-watch.json", "duty-board.json")) {
            assertTrue(Files.isRegularFile(DockerFiles.hostPathOf(grafana, dashboards).resolve(dashboard)),
                    "the provider's path is where compose mounts docker/grafana/dashboards: " + dashboard);
        }
        assertEquals(dashboards + "/opinion-watch.json", env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"));
        assertEquals(1, datasources.size());
        assertEquals("prometheus", datasources.at("/0/type").asText());
        int prometheusPort = DockerFiles.ports(DockerFiles.compose().at("/services/prometheus")).get(0).target();
        assertEquals("http://prometheus:" + prometheusPort, datasources.at("/0/url").asText(), "the compose service");
        assertEquals("true", env.get("GF_AUTH_ANONYMOUS_ENABLED"));
        assertEquals("Viewer", env.get("GF_AUTH_ANONYMOUS_ORG_ROLE"), "anonymous users only view");
    }

    @Test
    void everyPanelQueriesTheProvisionedPrometheusWithoutVariables() throws IOException {
        JsonNode dashboard = dashboard("opinion-watch.json");

        assertEquals("opinion-watch", dashboard.path("uid").asText());
        assertEquals("now-6h", dashboard.at("/time/from").asText());
        assertTrue(dashboard.at("/templating/list").isEmpty(), "no variables: every query is as written");
        assertEquals(12, checkPanels(dashboard), "the panels of docs/operating.md's list");
    }

    /** The duty board: the panels of docs/duty-board.md, on the escalation's board metrics, with one variable. */
    @Test
    void theDutyBoardShowsWhatTheDutyOfficerWorksFrom() throws IOException {
        JsonNode dashboard = dashboard("duty-board.json");

        assertEquals("duty-board", dashboard.path("uid").asText());
        assertEquals(8, checkPanels(dashboard));
        JsonNode variables = dashboard.at("/templating/list");
        assertEquals(1, variables.size(), "one variable: the incident the over-time panel shows");
        assertEquals("incident", variables.at("/0/name").asText());
        assertTrue(variables.at("/0/definition").asText().contains("escalation_open_incident_info"), "chosen among the open incidents");
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        String doc = Files.readString(ROOT.resolve("docs/duty-board.md"));
        for (String title : titles) {
            assertTrue(doc.contains(title), "docs/duty-board.md explains the panel " + title);
        }
        JsonNode table = dashboard.path("panels").findParents("type").stream().filter(p -> p.path("type").asText().equals("table")).findFirst().orElseThrow();
        String queries = table.findValues("expr").toString();
        for (String gauge : List.of("info", "level", "window_views", "window_comments", "opened_timestamp_seconds", "deadline_timestamp_seconds",
                "overdue_duties", "trend", "forecast_timestamp_seconds")) {
            assertTrue(queries.contains("escalation_open_incident_" + gauge), "the open incidents' table shows " + gauge);
        }
        assertTrue(dashboard.toString().contains("sum by (role) (escalation_deadlines_overdue)"), "overdue duties by role");
        assertTrue(dashboard.toString().contains("escalation_silence_until_timestamp_seconds"), "the silences in force");
    }

    private static JsonNode dashboard(String file) throws IOException {
        return DockerFiles.JSON.readTree(DOCKER.resolve("grafana/dashboards").resolve(file).toFile());
    }

    /**
     * What every provisioned dashboard keeps to: refreshed every 30 s up to now; every panel says what it shows, asks
     * the provisioned Prometheus, over $__rate_interval ranges, with refIds of its own, and has a place of its own in
     * the 24 columns. Returns how many panels it has.
     */
    private static int checkPanels(JsonNode dashboard) {
        String uid = DockerFiles.yaml("grafana/provisioning/datasources/prometheus.yaml").at("/datasources/0/uid").asText();
        JsonNode datasource = DockerFiles.JSON.createObjectNode().put("type", "prometheus").put("uid", uid);
        assertEquals("30s", dashboard.path("refresh").asText());
        assertEquals("now", dashboard.at("/time/to").asText());
        Set<Integer> ids = new HashSet<>();
        List<int[]> areas = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), title + " has an id of its own");
            assertFalse(panel.path("description").asText().isBlank(), title + " says what it shows");
            assertEquals(datasource, panel.path("datasource"), title);
            assertFalse(panel.path("targets").isEmpty(), title);
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertEquals(datasource, target.path("datasource"), title + ": " + expr);
                assertTrue(refIds.add(target.path("refId").asText()), title + ": refIds differ");
                Matcher range = RANGE.matcher(expr);
                while (range.find()) {
                    assertEquals("$__rate_interval", range.group(1), title + ": " + expr);
                }
            }
            JsonNode grid = panel.path("gridPos");
            int[] area = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(), grid.path("h").asInt()};
            assertTrue(area[0] >= 0 && area[0] + area[2] <= 24 && area[2] > 0 && area[3] > 0, title + " fits the 24 columns");
            for (int[] other : areas) {
                boolean apart = area[0] + area[2] <= other[0] || other[0] + other[2] <= area[0]
                        || area[1] + area[3] <= other[1] || other[1] + other[3] <= area[1];
                assertTrue(apart, title + " overlaps another panel");
            }
            areas.add(area);
        }
        return ids.size();
    }

    /** GitHub's anchors of the headings of a Markdown file of the repository (code blocks left out). */
    static Set<String> anchors(String file) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(ROOT.resolve(file))) {
            code ^= line.strip().startsWith("```");
            if (!code && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
