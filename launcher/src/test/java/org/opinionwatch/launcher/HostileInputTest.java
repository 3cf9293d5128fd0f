package org.opinionwatch.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.poll.LiveIngest;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.launcher.pipeline.StageMetrics;

/**
 * Live ingest's push endpoint and the classifier on a real broker, fed the hostile input of a bad day one request at
 * a time: each is refused with a 400 that names the item and the field, goes to posts.dlq, and the next valid post is
 * accepted and classified as if nothing had happened.
 */
class HostileInputTest {
    private static final String TOKEN = "hostile-token-0123456789";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void eachHostileInputIsRefusedAndTheValidPostsAfterItAreClassified() throws Exception {
        String prefix = "hostile-" + System.nanoTime() + ".";
        Path file = Files.writeString(dir.resolve("config.yaml"), """
                topics: { prefix: %s }
                ingest:
                  push: { enabled: true, host: 127.0.0.1, port: 0, token: "%s" }
                """.formatted(prefix, TOKEN));
        OpinionWatchConfig settings = ConfigLoader.load(file, Map.of()).withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
        Topics topics = settings.topicNames();
        Instant now = Instant.now();
        Properties producer = KafkaClients.properties(settings.kafka());

        List<String> bodies = new ArrayList<>(List.of(
                json(post("ahead", now.plus(Duration.ofHours(2)), 1, null)),
                json(post("y1969", Instant.parse("1969-12-31T23:59:59Z"), 1, null)),
                json(post("y1", now, 1, null)).replaceAll("\"observedAt\":\"[^\"]+\"", "\"observedAt\":\"0001-01-01T00:00:00Z\""),
                // Past the bound, a repost's increment on top of this count would overflow into a negative comment count.
                json(post("story", now, Long.MAX_VALUE, null)),
                json(post("long-title", now, 1, null)).replace("\"title\":\"宿舍热水\"", "\"title\":\"" + "水".repeat(1001) + "\""),
                "[" + json(post("in-a-bad-batch", now, 1, null)) + "," + json(post("y1-in-batch", now, 1, null))
                        .replaceAll("\"observedAt\":\"[^\"]+\"", "\"observedAt\":\"0001-01-01T00:00:00Z\"") + "]"));
        List<String> fields = List.of("observedAt", "observedAt", "observedAt", "engagement.comments", "title", "observedAt");
        List<Post> valid = List.of(post("story", now, 300, null), post("story-repost-1", now, 150, "story"),
                post("story-repost-2", now, 50, "story"), post("story-repost-3", now, 100, "story"),
                post("story", now.plusSeconds(1), 300, null), post("story-repost-4", now, 1, "story"));

        try (StageMetrics metrics = StageMetrics.start(settings, false);
             Pipeline pipeline = Pipeline.start(settings, false, metrics);
             PostPublisher publisher = new PostPublisher(topics, producer, PostBounds.live(settings.ingest().limits(), Clock.systemUTC()),
                     settings.ingest().delivery());
             LiveIngest ingest = LiveIngest.start(settings.ingest(), settings.endpoints(), file.toString(), publisher, new SimpleMeterRegistry(), Clock.systemUTC())) {
            URI endpoint = URI.create("http://127.0.0.1:" + ingest.pushPort() + "/posts");
            for (int i = 0; i < bodies.size(); i++) {
                HttpResponse<String> refused = push(endpoint, bodies.get(i));
                assertEquals(400, refused.statusCode(), refused.body());
                List<String> named = new ArrayList<>();
                Json.TOLERANT.readTree(refused.body()).get("details").forEach(d -> named.add(d.get("index").asInt() + " " + d.get("field").asText()));
                // The item by its index in the request (the batch's second), and the field.
                assertTrue(named.contains((i == 5 ? 1 : 0) + " " + fields.get(i)), refused.body());

                HttpResponse<String> accepted = push(endpoint, json(valid.get(i)));
                assertEquals(202, accepted.statusCode(), "the stage serves on: " + accepted.body());
            }
            publisher.flush();
            pipeline.awaitClassified();
        }

        List<String> published = OutputReader.readAll(settings.kafka(), prefix, List.of(topics.postsRaw())).stream().map(OutputEvent::key)
                .filter(java.util.Objects::nonNull).toList(); // ingest's heartbeats, among the posts, have no key
        assertEquals(valid.stream().map(Post::id).sorted().toList(), published.stream().sorted().toList(),
                "the valid posts and nothing of a refused request");
        List<OutputEvent> deadLetters = OutputReader.readAll(settings.kafka(), prefix, List.of(topics.postsDlq()));
        assertEquals(bodies, deadLetters.stream().map(d -> d.event().path("input").asText()).toList(), "each refused body, untouched");

        List<JsonNode> changes = OutputReader.readAll(settings.kafka(), prefix, List.of(topics.severity())).stream()
                .filter(e -> e.key().equals("story")).map(OutputEvent::event).toList();
        JsonNode last = changes.get(changes.size() - 1);
        assertEquals("CRITICAL", last.path("to").asText(), changes.toString());
        assertEquals(500, last.path("metrics").path("comments").asLong(), "300 + 150 + 50: the absurd count never entered");
        assertEquals(List.of("MAJOR", "CRITICAL"), changes.stream().map(c -> c.path("to").asText()).toList());
        assertTrue(changes.stream().allMatch(c -> c.path("metrics").path("comments").asLong() >= 0
                && c.path("metrics").path("views").asLong() >= 0), changes.toString());
    }

    private static Post post(String id, Instant observed, long comments, String repostOf) {
        return new Post(id, "partner", "https://partner.example.cn/p/" + id, "宿舍热水", "宿舍没有热水", "parent",
                observed, observed, new Engagement(0, comments, 0, 0), false, repostOf);
    }

    private static String json(Post post) {
        return new String(Topics.POST.serialize("", post), UTF_8);
    }

    private HttpResponse<String> push(URI endpoint, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
