package org.opinionwatch.classifier.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInstance;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query server in front of a real classifier on the embedded broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentQueryServerTest {
    private static final Instant T0 = QueryFixture.T0;
    @TempDir
    static Path stateDir;
    private final HttpClient http = QueryFixture.HTTP;
    private OpinionWatchConfig config;
    private KafkaStreams classifier;
    private MetricsEndpoint metrics;
    private IncidentQueryServer server;
    @BeforeAll
    void startClassifierWithPosts() throws Exception {
        config = QueryFixture.freshNamespace();
        QueryFixture.publish(config, List.of(
                // A post whose comments grow past the MAJOR threshold (100) within the window.
                QueryFixture.post("busy", T0, 200, 10),
                QueryFixture.post("busy", T0.plusSeconds(60), 600, 60),
                QueryFixture.post("busy", T0.plusSeconds(120), 900, 150),
                // A quiet post: open, at the lowest level.
                QueryFixture.post("quiet", T0.plusSeconds(30), 20, 1)));

        int port = LoopbackPorts.free();
        metrics = MetricsEndpoint.start("classifier", 0);
        classifier = QueryFixture.classifier(config, port, metrics, stateDir);
        server = QueryFixture.serve(classifier, port, "");

        // Bounded polling: the classifier starts, rebalances and processes the posts in a few seconds (more on a busy
        // machine). Longer than the producer's delivery timeout (120 s): a first batch to a repartition topic that
        // Kafka Streams has only just created can wait that long (KAFKA-15591, a broker bug: the batch failed while
        // the broker did not yet serve the topic, the next one was taken, and the retried first is refused as out of
        // sequence until it expires; Streams then aborts the transaction and processes the posts again).
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (true) {
            HttpResponse<String> r = get("/incidents/busy");
            if (r.statusCode() == 200 && Json.TOLERANT.readTree(r.body()).path("level").asText().equals("MAJOR")
                    && get("/incidents/quiet").statusCode() == 200) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the incidents did not show up in time; last answer " + r.statusCode() + " " + r.body());
            Thread.sleep(200);
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (classifier != null) {
            classifier.close(Duration.ofSeconds(10));
            metrics.close();
        }
    }

    @Test
    void listsTheOpenIncidentsHighestLevelFirst() throws Exception {
        HttpResponse<String> r = get("/incidents");
        assertEquals(200, r.statusCode());
        assertEquals("0,1,2", r.headers().firstValue("X-Partitions").orElseThrow(), "one instance hosts every partition");
        JsonNode list = Json.TOLERANT.readTree(r.body());
        List<String> ids = new ArrayList<>();
        list.forEach(i -> ids.add(i.path("incidentId").asText()));
        assertEquals(List.of("busy", "quiet"), ids);

        JsonNode busy = list.get(0);
        assertEquals("MAJOR", busy.path("level").asText());
        assertEquals("all", busy.path("subject").asText());
        assertEquals(150, busy.path("metrics").path("comments").asLong());
        assertEquals(900, busy.path("metrics").path("views").asLong());
        assertEquals(0, busy.path("metrics").path("outlets").asInt());
        assertEquals("busy", busy.path("rootPost").path("id").asText());
        assertEquals(T0.plusSeconds(120), Instant.parse(busy.path("lastActivity").asText()));
        assertFalse(busy.path("openedAt").isMissingNode());
        assertEquals("MINOR", list.get(1).path("level").asText());
    }

    @Test
    void answersOneIncident() throws Exception {
        HttpResponse<String> r = get("/incidents/busy");
        assertEquals(200, r.statusCode());
        JsonNode busy = Json.TOLERANT.readTree(r.body());
        assertEquals("busy", busy.path("incidentId").asText());
        assertEquals("MAJOR", busy.path("level").asText());
        assertEquals(150, busy.path("metrics").path("comments").asLong());
        assertEquals(1, busy.path("posts").asLong());
    }

    @Test
    void unknownIncidentIs404WithAJsonError() throws Exception {
        HttpResponse<String> r = get("/incidents/no-such-incident");
        assertEquals(404, r.statusCode());
        assertTrue(Json.TOLERANT.readTree(r.body()).path("error").asText().contains("no-such-incident"));
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(server, "/incidents"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET", r.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void aClassifierThatIsNotRunningIs503() throws Exception {
        // Created but never started: as unqueryable as one that is rebalancing.
        try (KafkaStreams idle = new KafkaStreams(ClassifierTopology.build(config, new SimpleMeterRegistry()), Classifier.streamsProperties(config));
             IncidentQueryServer idleServer = QueryFixture.serve(idle, 0, "")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(idleServer, "/incidents/busy")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertTrue(Json.TOLERANT.readTree(r.body()).path("error").asText().contains("CREATED"), r.body());
        }
    }

    /** With a token, a request without it or with another learns nothing, not even whether the classifier runs. */
    @Test
    void aTokenIsRequiredWhenOneIsSet() throws Exception {
        String token = "query-token-0123456789";
        try (KafkaStreams idle = new KafkaStreams(ClassifierTopology.build(config, new SimpleMeterRegistry()), Classifier.streamsProperties(config));
             IncidentQueryServer guarded = QueryFixture.serve(idle, 0, token)) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(guarded, "/incidents")).GET();
            HttpResponse<String> none = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode(), none.body());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
            HttpResponse<String> wrong = http.send(request.copy().header("Authorization", "Bearer " + token + "x").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, wrong.statusCode(), wrong.body());
            HttpResponse<String> right = http.send(request.copy().header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, right.statusCode(), "let through, to a classifier that is not running: " + right.body());
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return QueryFixture.get(server, path);
    }

    private static URI uri(IncidentQueryServer s, String path) {
        return QueryFixture.uri(s, path);
    }
}
