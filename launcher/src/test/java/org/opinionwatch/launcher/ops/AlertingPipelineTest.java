package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.launcher.Tools;

/**
 * A page on its way with the real programs, Debian's Prometheus and Alertmanager, on loopback: Prometheus evaluates
 * {@code docker/prometheus/alerts.yml} against a classifier that does not answer and sends the alert to Alertmanager,
 * which routes, groups and inhibits as {@code docker/alertmanager/alertmanager.yml} says and delivers the page to the
 * receiver of critical alerts. Only the waits are shortened, and every receiver's channels replaced by a loopback
 * webhook that records what it is sent.
 */
class AlertingPipelineTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private HttpServer webhook;

    /** A message Alertmanager sent: the receiver is the webhook's path. */
    private record Page(String receiver, JsonNode body) {
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    @Timeout(120)
    void aStageThatDoesNotAnswerPagesTheOfficeAndHoldsBackItsOtherAlerts() throws Exception {
        Tools.requireOnPath("prometheus", "prometheus");
        Tools.requireOnPath("prometheus-alertmanager", "prometheus-alertmanager");
        BlockingQueue<Page> pages = new LinkedBlockingQueue<>();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/", exchange -> {
            try {
                pages.add(new Page(exchange.getRequestURI().getPath().substring(1), DockerFiles.JSON.readTree(exchange.getRequestBody())));
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        webhook.start();
        int down = LoopbackPorts.free(); // nothing listens there: the classifier is down
        URI alertmanager = URI.create("http://127.0.0.1:" + LoopbackPorts.free() + "/");

        startAlertmanager(alertmanager);
        await(() -> "Alertmanager ready", () -> status(alertmanager.resolve("-/ready")) == 200);
        startPrometheus(down, alertmanager);

        Page page = awaitPage(pages, "OpinionWatchStageDown");
        JsonNode alert = page.body().at("/alerts/0");
        assertEquals("office-page", page.receiver(), "critical: the receiver that pages at once");
        assertEquals("firing", page.body().path("status").asText());
        assertEquals(Map.of("alertname", "OpinionWatchStageDown", "job", "classifier"), texts(page.body().path("groupLabels")),
                "grouped by alert and stage");
        assertEquals(Map.of("alertname", "OpinionWatchStageDown", "job", "classifier", "instance", "127.0.0.1:" + down,
                "severity", "critical"), texts(alert.path("labels")));
        assertEquals("Opinion Watch classifier is down", alert.at("/annotations/summary").asText());
        assertEquals("docs/alerts.md#opinionwatchstagedown", alert.at("/annotations/runbook").asText());

        // Alerts as Prometheus would send them, to see which of them the rules of alertmanager.yml hold back.
        ArrayNode others = DockerFiles.JSON.createArrayNode();
        others.add(alert("OpinionWatchConsumerLagGrowing", "warning", "classifier"));
        others.add(alert("OpinionWatchConsumerLagGrowing", "warning", "notifier"));
        others.add(alert("OpinionWatchKafkaUnreachable", "critical", "escalation"));
        others.add(alert("OpinionWatchStreamsNotRunning", "critical", "escalation"));
        others.add(alert("OpinionWatchSourceSilent", "warning", "ingest"));
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(alertmanager.resolve("api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(others.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, posted.statusCode(), posted.body());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("OpinionWatchStageDown classifier", "active");
        expected.put("OpinionWatchConsumerLagGrowing classifier", "suppressed"); // its stage is down
        expected.put("OpinionWatchConsumerLagGrowing notifier", "active");
        expected.put("OpinionWatchKafkaUnreachable escalation", "active");
        expected.put("OpinionWatchStreamsNotRunning escalation", "suppressed"); // its stage cannot reach Kafka
        expected.put("OpinionWatchSourceSilent ingest", "suppressed"); // a stage cannot reach Kafka
        await(() -> "the inhibition rules applied: " + expected + ", not " + states(alertmanager),
                () -> expected.equals(states(alertmanager)));
    }

    private void startAlertmanager(URI address) throws IOException {
        ObjectNode config = (ObjectNode) DockerFiles.yaml("alertmanager/alertmanager.yml");
        String hook = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/";
        ArrayNode receivers = config.putArray("receivers");
        for (JsonNode receiver : DockerFiles.yaml("alertmanager/alertmanager.yml").path("receivers")) {
            String name = receiver.path("name").asText();
            receivers.addObject().put("name", name).putArray("webhook_configs").addObject().put("url", hook + name);
        }
        shortenWaits(config.with("route"));
        Path file = dir.resolve("alertmanager.yml");
        DockerFiles.YAML.writeValue(file.toFile(), config);
        // --cluster.listen-address= : no gossip port, which would be 9094 on every interface.
        start("alertmanager", "prometheus-alertmanager", "--config.file=" + file, "--storage.path=" + dir.resolve("alertmanager-data"),
                "--web.listen-address=" + address.getHost() + ":" + address.getPort(), "--cluster.listen-address=");
    }

    /** Every route sends at once and again a second later, instead of waiting to gather alerts. */
    private static void shortenWaits(ObjectNode route) {
        route.put("group_wait", "0s").put("group_interval", "1s");
        route.path("routes").forEach(child -> shortenWaits((ObjectNode) child));
    }

    /** prometheus.yml with the classifier's job alone, at a port where nothing answers, and alerts.yml without waits. */
    private void startPrometheus(int down, URI alertmanager) throws IOException {
        ObjectNode rules = (ObjectNode) DockerFiles.yaml("prometheus/alerts.yml");
        rules.findValues("rules").forEach(group -> group.forEach(rule -> {
            if (rule.has("for")) {
                ((ObjectNode) rule).put("for", "0s");
            }
        }));
        Path rulesFile = dir.resolve("alerts.yml");
        DockerFiles.YAML.writeValue(rulesFile.toFile(), rules);

        ObjectNode config = (ObjectNode) DockerFiles.yaml("prometheus/prometheus.yml");
        config.with("global").put("scrape_interval", "1s").put("evaluation_interval", "1s");
        config.putArray("rule_files").add(rulesFile.toString());
        ArrayNode jobs = config.putArray("scrape_configs");
        for (JsonNode job : DockerFiles.yaml("prometheus/prometheus.yml").path("scrape_configs")) {
            if (job.path("job_name").asText().equals("classifier")) {
                ObjectNode classifier = jobs.addObject().setAll((ObjectNode) job);
                classifier.putArray("static_configs").addObject().putArray("targets").add("127.0.0.1:" + down);
            }
        }
        JsonNode alerting = config.at("/alerting/alertmanagers");
        assertEquals(1, alerting.size(), "one Alertmanager: " + alerting);
        ((ObjectNode) alerting.get(0)).putArray("static_configs").addObject().putArray("targets")
                .add(alertmanager.getHost() + ":" + alertmanager.getPort());
        Path file = dir.resolve("prometheus.yml");
        DockerFiles.YAML.writeValue(file.toFile(), config);
        // Firing alerts are sent again after the resend delay (a minute by default): Alertmanager misses none here.
        start("prometheus", "prometheus", "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + LoopbackPorts.free(), "--rules.alert.resend-delay=1s");
    }

    private void start(String name, String... command) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }

    private Page awaitPage(BlockingQueue<Page> pages, String alertname) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Page page = pages.poll(250, TimeUnit.MILLISECONDS);
            if (page != null && page.body().at("/groupLabels/alertname").asText().equals(alertname)) {
                return page;
            }
        }
        throw new AssertionError("no page for " + alertname + " within 60 s; see " + dir.resolve("prometheus.log") + " and "
                + dir.resolve("alertmanager.log"));
    }

    private static ObjectNode alert(String alertname, String severity, String job) {
        ObjectNode alert = DockerFiles.JSON.createObjectNode();
        alert.putObject("labels").put("alertname", alertname).put("severity", severity).put("job", job);
        return alert;
    }

    /** "alertname job" → the state Alertmanager gives the alert: active, or suppressed (inhibited or silenced). */
    private static Map<String, String> states(URI alertmanager) {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode alert : get(alertmanager.resolve("api/v2/alerts"))) {
            states.put(alert.at("/labels/alertname").asText() + " " + alert.at("/labels/job").asText(), alert.at("/status/state").asText());
        }
        return states;
    }

    private static Map<String, String> texts(JsonNode object) {
        Map<String, String> texts = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> texts.put(f.getKey(), f.getValue().asText()));
        return texts;
    }

    private static JsonNode get(URI uri) {
        try {
            return DockerFiles.JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void await(Supplier<String> what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, () -> "timed out waiting for: " + what.get() + "; see " + dir);
            Thread.sleep(100);
        }
    }
}
