package org.opinionwatch.classifier.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/** What the query tests share: a fresh namespace on the embedded broker, its topics, posts, HTTP. */
final class QueryFixture {
    static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private QueryFixture() {
    }

    /** Default settings (catch-all subject, MAJOR at 100 comments) in a namespace of their own, all topics created. */
    static OpinionWatchConfig freshNamespace() throws Exception {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of())
                .inNamespace("query-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
        TopicSetup.create(config, true); // its posts are historical: kept whatever their age
        return config;
    }

    /** The query endpoint of {@code streams} on localhost, with the default HTTP limits; token "" for none. */
    static IncidentQueryServer serve(KafkaStreams streams, int port, String token) throws IOException {
        return IncidentQueryServer.start(streams, new OpinionWatchConfig.Query("localhost", port, token),
                ConfigLoader.load(null, Map.of()).endpoints());
    }

    /** A post snapshot with neutral text (no category or sensitive domain raises its level). */
    static Post post(String id, Instant observedAt, long views, long comments) {
        // Each post its own story (a text of its own), so that none joins another's incident.
        return new Post(id, "test-forum", "https://forum.example/" + id, "校园食堂今天的菜单 " + id, java.util.UUID.nameUUIDFromBytes(id.getBytes()).toString(),
                "someone", T0, observedAt, new Engagement(views, comments, 0, 0), false, null);
    }

    /** Publishes to posts.raw as ingest does: key post id, event time observedAt. */
    static void publish(OpinionWatchConfig config, List<Post> posts) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        try (KafkaProducer<String, Post> producer = new KafkaProducer<>(p, new StringSerializer(), Topics.POST.serializer())) {
            for (Post post : posts) {
                producer.send(new ProducerRecord<>(config.topicNames().postsRaw().name(), null,
                        post.observedAt().toEpochMilli(), post.id(), post)).get();
            }
        }
        // Ingest's heartbeat after them: every task gets past them.
        posts.stream().map(Post::observedAt).max(java.util.Comparator.naturalOrder())
                .ifPresent(last -> org.opinionwatch.classifier.ClockTicks.at(config, last.plusMillis(1)));
    }

    /** A classifier that advertises {@code localhost:port} to the other instances, its local state in {@code stateDir}. */
    static KafkaStreams classifier(OpinionWatchConfig config, int port, MetricsEndpoint metrics, java.nio.file.Path stateDir) {
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return Classifier.start(config, overrides, metrics);
    }

    static HttpResponse<String> get(IncidentQueryServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(IncidentQueryServer server, String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }
}
