package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.escalation.clock.HeartbeatClock;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.poll.SourceMetrics;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.launcher.Tools;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.notifier.Notifier;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * A real Prometheus (Debian's package) scrapes the four stages while they replay the bundled sample, with the scrape
 * jobs and alert rules of {@code docker/prometheus}: every query of every Grafana dashboard (the operations dashboard
 * and the duty board, whose open incidents the replay leaves open and whose silence the test sets) returns data, every
 * alert rule evaluates without error over series that exist, and the alerts that the sample must raise (deadlines
 * overdue: an archive holds no actions; dead letters: it holds five broken records) are raised.
 */
class PrometheusScrapeTest {
    private static final Path DOCKER = DockerFiles.DOCKER.toAbsolutePath().normalize();
    private static final Path SAMPLE = Path.of("..", "samples", "weibo-ced").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = DockerFiles.YAML;
    /** What Grafana's {@code $__rate_interval} stands for here: long enough to span the whole replay. */
    private static final String RATE_INTERVAL = "5m";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void prometheusScrapesEveryStageAndTheDashboardAndAlertsHaveData() throws Exception {
        Tools.requireOnPath("prometheus", "prometheus");
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of())
                .inNamespace("prometheus-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
        try (StageMetrics metrics = StageMetrics.start(config, false);
             Notifier notifier = Notifier.start(config, metrics.notifier().registry());
             // The escalation command runs one live; a replay brings its own heartbeats, so this one stays at 0.
             HeartbeatClock clock = HeartbeatClock.start(config, metrics.escalation().registry(), Clock.systemUTC())) {
            metrics.notifier().bind(notifier.clientMetrics());
            // A replay polls no source: the meters of one, as live ingest registers them, the source read just now.
            new SourceMetrics(metrics.ingest().registry(), "polled-feed").pollsEvery(Duration.ofMinutes(5)).read(Instant.now());
            Map<String, MetricsEndpoint> jobs = new LinkedHashMap<>();
            jobs.put("ingest", metrics.ingest());
            jobs.put("classifier", metrics.classifier());
            jobs.put("escalation", metrics.escalation());
            jobs.put("notifier", metrics.notifier());
            int port = LoopbackPorts.free();
            Process prometheus = startPrometheus(jobs, port);
            try {
                URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
                await("Prometheus ready and every target up", Duration.ofSeconds(60), () -> targetsUp(api, jobs.size()));
                // A live stage is scraped long before its first rejection; a replay rejects within a second of starting,
                // and increase() cannot count a series first seen at its final value. So: the archive's counters at zero, scraped.
                new SourceMetrics(metrics.ingest().registry(), ArchiveFormat.WEIBO_CED.id());
                await("the archive's rejection counters scraped at zero", Duration.ofSeconds(30),
                        () -> query(api, "ingest_posts_rejected_total{source=\"" + ArchiveFormat.WEIBO_CED.id() + "\"}").size() > 0);
                Replay.run(config, ArchiveFormat.WEIBO_CED, SAMPLE, metrics, result -> {
                    try {
                        // The notifier has caught up when it has a delivery per notification; then two more scrapes.
                        await("every notification delivered", Duration.ofSeconds(60), () -> sum(api,
                                "sum(notifier_deliveries_total)") >= result.count("notifications"));
                        Instant now = liveIncident(config, result.ingest().lastEventTime());
                        silence(config, now);
                        for (String gauge : List.of("silence_until", "open_incident_forecast", "open_incident_deadline")) {
                            await(gauge + " on the duty board", Duration.ofSeconds(60), () -> sum(api,
                                    "count(escalation_" + gauge + "_timestamp_seconds)") > 0);
                        }
                        await("a checkpoint's trend on the duty board", Duration.ofSeconds(60), () -> sum(api,
                                "count(escalation_open_incident_trend)") > 0);
                        // Two more scrapes of every target (one a second), so that the queries read the final values.
                        double scrapedAfter = System.currentTimeMillis() / 1000.0 + 1;
                        await("two more scrapes of every target", Duration.ofSeconds(30),
                                () -> sum(api, "min(timestamp(up))") > scrapedAfter);
                        for (String dashboard : List.of("opinion-watch.json", "duty-board.json")) {
                            checkDashboard(api, dashboard);
                        }
                        checkAlertRules(api);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            } finally {
                prometheus.destroy();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * After the archive, as live: a complaint whose comments grow fast (GENERAL, forecast to become MAJOR, which puts
     * it on the major procedure with its deadlines), then two hours later a heartbeat (its checkpoints): the duty
     * board then has what only an incident in progress shows: the sample's incidents still open at its end are MINOR
     * or quiet, with no deadline, checkpoint or forecast in force.
     *
     * @return the event time reached
     */
    private static Instant liveIncident(OpinionWatchConfig config, Instant archiveEnd) {
        Instant t0 = archiveEnd.plus(config.escalation().trackingFor()).plus(Duration.ofHours(2));
        try (PostPublisher publisher = new PostPublisher(config.topicNames(), KafkaClients.properties(config.kafka()),
                PostBounds.archive(config.ingest().limits()), config.ingest().delivery())) {
            for (int i = 0; i < 3; i++) {
                Instant at = t0.plus(Duration.ofMinutes(10L * i));
                publisher.publish(new Post("live-1", "school-bbs", "https://bbs.example.edu/t/1", "宿舍没有热水", "宿舍没有热水三天了，宿管态度恶劣，强烈投诉",
                        "学生", t0, at, new Engagement(0, 10 + 30L * i, 0, 0), false, null));
            }
            publisher.flush();
            publisher.heartbeat(t0.plus(Duration.ofHours(2)), "test");
            publisher.flush();
        }
        return t0.plus(Duration.ofHours(2));
    }

    /** A silence as the office sets it, in the replay's own time: the duty board shows the silences in force. */
    private static void silence(OpinionWatchConfig config, Instant at) {
        try (ActionPublisher actions = new ActionPublisher(config, ActionPublisher.TIMEOUT)) {
            actions.publish(new Action(null, null, Action.Kind.SILENCE, null, null, null,
                    new Action.Silence(null, Action.Silence.Target.SUBJECT, "all", at.plus(Duration.ofDays(30))), "李老师", "食堂整改期间", at));
        }
    }

    /**
     * Every query of every panel returns at least one series, none of them only NaN; a variable takes the first value
     * its own query gives, as Grafana does when the dashboard opens.
     */
    private void checkDashboard(URI api, String file) throws Exception {
        JsonNode dashboard = Json.TOLERANT.readTree(DOCKER.resolve("grafana/dashboards").resolve(file).toFile());
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            String definition = variable.path("definition").asText();
            assertTrue(definition.startsWith("query_result(") && definition.endsWith(")"), file + ": " + definition);
            JsonNode values = query(api, definition.substring("query_result(".length(), definition.length() - 1));
            assertFalse(values.isEmpty(), file + ": the variable " + variable.path("name").asText() + " has no value");
            String name = variable.path("name").asText();
            variables.put("$" + name, values.get(0).path("metric").path(name).asText());
        }
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        assertTrue(queries.size() >= 8, file + "'s queries: " + queries);
        List<String> empty = new ArrayList<>();
        for (String query : queries) {
            String q = query.replace("$__rate_interval", RATE_INTERVAL).replace("$__interval", "15s").replace("$__range", RATE_INTERVAL);
            for (Map.Entry<String, String> v : variables.entrySet()) {
                q = q.replace(v.getKey(), v.getValue());
            }
            JsonNode result = query(api, q);
            boolean hasNumber = false;
            for (JsonNode series : result) {
                String value = series.path("value").path(1).asText();
                hasNumber |= !value.equals("NaN");
            }
            if (!hasNumber) {
                empty.add(q + " → " + result);
            }
        }
        assertEquals(List.of(), empty, file + ": queries without data");
    }

    /**
     * Each alert's expression, with its comparisons made {@code bool} (1 or 0 for every series instead of a filter),
     * returns data: the series it watches exist. The rules load and evaluate without error, and the sample raises
     * the alerts it must.
     */
    private void checkAlertRules(URI api) throws Exception {
        await("every rule evaluated", Duration.ofSeconds(30), () -> {
            JsonNode groups = get(api.resolve("rules")).path("data").path("groups");
            return groups.size() > 0 && groups.findValues("rules").stream().flatMap(r -> iterable(r).stream())
                    .allMatch(r -> r.path("lastEvaluation").asText().compareTo("2000") > 0);
        });
        // A few evaluations (one a second): what a range function over a recorded series needs.
        Instant evaluatedAfter = Instant.now().plusSeconds(2);
        await("every rule evaluated twice more", Duration.ofSeconds(30), () -> {
            JsonNode groups = get(api.resolve("rules")).path("data").path("groups");
            return groups.findValues("rules").stream().flatMap(r -> iterable(r).stream())
                    .allMatch(r -> java.time.OffsetDateTime.parse(r.path("lastEvaluation").asText()).toInstant().isAfter(evaluatedAfter));
        });
        JsonNode rules = YAML.readTree(DOCKER.resolve("prometheus/alerts.yml").toFile());
        List<String> empty = new ArrayList<>();
        int alerts = 0;
        for (JsonNode rule : rules.path("groups").findValues("rules").stream().flatMap(r -> iterable(r).stream()).toList()) {
            if (rule.has("record")) {
                if (query(api, rule.path("record").asText()).isEmpty()) {
                    empty.add(rule.path("record").asText() + " (recorded): " + rule.path("expr").asText());
                }
                continue;
            }
            alerts++;
            String expr = rule.path("expr").asText().replaceAll("(==|!=|>=|<=|>|<)\\s*(?=-?[0-9.])", "$1 bool ");
            if (query(api, expr).isEmpty()) {
                empty.add(rule.path("alert").asText() + ": " + expr);
            }
        }
        assertEquals(MonitoringFilesTest.ALERTS.size(), alerts, "every alert of alerts.yml");
        assertEquals(List.of(), empty, "rule expressions over series that do not exist");

        Map<String, String> state = new LinkedHashMap<>();
        for (JsonNode r : get(api.resolve("rules")).path("data").path("groups").findValues("rules").stream().flatMap(r -> iterable(r).stream()).toList()) {
            assertEquals("ok", r.path("health").asText(), r.path("name").asText() + ": " + r.path("lastError").asText());
            if (r.path("type").asText().equals("alerting")) {
                state.put(r.path("name").asText(), r.path("state").asText());
            }
        }
        assertNotEquals("inactive", state.get("OpinionWatchDeadlineOverdue"), "the sample leaves deadlines overdue: " + state);
        assertNotEquals("inactive", state.get("OpinionWatchDeadLettersGrowing"), "the sample has broken records: " + state);
        assertEquals("inactive", state.get("OpinionWatchStageDown"), "every stage is up: " + state);
        // What a healthy run must not raise; for the source, time() and the gauge must be in the same unit.
        for (String quiet : List.of("OpinionWatchStageRestarting", "OpinionWatchKafkaUnreachable", "OpinionWatchSourceSilent",
                "OpinionWatchDeliveriesFailing", "OpinionWatchNotificationsRefused", "OpinionWatchStreamThreadFailed",
                "OpinionWatchIngestSilent")) {
            assertEquals("inactive", state.get(quiet), quiet + ": " + state);
        }
    }

    private Process startPrometheus(Map<String, MetricsEndpoint> jobs, int port) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
        ObjectNode global = config.with("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        config.remove("alerting"); // no Alertmanager here: the rules' states are read from the API
        ArrayNode ruleFiles = config.putArray("rule_files");
        ruleFiles.add(DOCKER.resolve("prometheus/alerts.yml").toString());
        List<String> seen = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            MetricsEndpoint endpoint = jobs.get(name);
            if (endpoint == null) {
                fail("prometheus.yml scrapes a job the stages do not have: " + name);
            }
            seen.add(name);
            ((ObjectNode) job).remove("scrape_interval");
            ArrayNode targets = ((ObjectNode) job).putArray("static_configs").addObject().putArray("targets");
            targets.add("127.0.0.1:" + endpoint.port());
        }
        assertEquals(List.copyOf(jobs.keySet()).stream().sorted().toList(), seen.stream().sorted().toList(), "one job per stage");
        Path file = dir.resolve("prometheus.yml");
        YAML.writeValue(file.toFile(), config);
        return new ProcessBuilder("prometheus", "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    private static boolean targetsUp(URI api, int expected) {
        try {
            JsonNode targets = get(api.resolve("targets")).path("data").path("activeTargets");
            return targets.size() == expected && iterable(targets).stream().allMatch(t -> t.path("health").asText().equals("up"));
        } catch (UncheckedIOException e) {
            return false; // not listening yet
        }
    }

    private static double sum(URI api, String query) {
        try {
            JsonNode result = query(api, query);
            return result.isEmpty() ? 0 : result.get(0).path("value").path(1).asDouble();
        } catch (UncheckedIOException e) {
            return 0;
        }
    }

    private static JsonNode query(URI api, String query) {
        JsonNode answer = get(api.resolve("query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        assertEquals("success", answer.path("status").asText(), query + ": " + answer);
        return answer.path("data").path("result");
    }

    private static JsonNode get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.TOLERANT.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> all = new ArrayList<>();
        array.forEach(all::add);
        return all;
    }

    private static void await(String what, Duration within, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for: " + what);
            Thread.sleep(250);
        }
    }
}
