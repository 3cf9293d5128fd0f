package org.opinionwatch.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.serde.Json;

class MetricsEndpointTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> get(MetricsEndpoint endpoint, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthSaysWhatTheStageSays() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("test", 0)) {
            HttpResponse<String> starting = get(endpoint, "/health");
            assertEquals(503, starting.statusCode());
            assertEquals("STARTING", Json.TOLERANT.readTree(starting.body()).path("state").asText());

            AtomicReference<Health> now = new AtomicReference<>(new Health(false, "REBALANCING"));
            endpoint.health(now::get);
            JsonNode rebalancing = Json.TOLERANT.readTree(get(endpoint, "/health").body());
            assertEquals("DOWN", rebalancing.path("status").asText());
            assertEquals("REBALANCING", rebalancing.path("state").asText());

            now.set(new Health(true, "RUNNING"));
            HttpResponse<String> running = get(endpoint, "/health");
            assertEquals(200, running.statusCode());
            assertEquals("UP", Json.TOLERANT.readTree(running.body()).path("status").asText());
        }
    }

    @Test
    void metricsAreThePrometheusTextWithTheStageTag() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("test", 0)) {
            endpoint.registry().counter("ow_probe_total").increment();
            HttpResponse<String> metrics = get(endpoint, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            assertTrue(metrics.body().contains("ow_probe_total{stage=\"test\"} 1.0"), metrics.body());
        }
    }

    @Test
    void otherPathsAndMethodsAreRefusedInJson() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("test", 0)) {
            HttpResponse<String> other = get(endpoint, "/");
            assertEquals(404, other.statusCode());
            assertTrue(Json.TOLERANT.readTree(other.body()).path("error").isTextual());
            HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }
}
