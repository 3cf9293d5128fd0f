package org.opinionwatch.ingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;

/**
 * Live ingest with its push endpoint through a broker outage longer than the producer's delivery timeout, on a broker
 * of its own that is stopped and started again on the same data directory and port: pushes are answered at once
 * throughout (202 while the buffer has room, then 503 with Retry-After), and once the broker is back what was
 * buffered arrives, once each, and ingest takes posts again, without a restart.
 */
class BrokerOutageTest {
    private static final String TOKEN = "outage-token-0123456789";
    private static final Duration FAST = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void ingestBuffersThroughAnOutageAnswersAtOnceAndDeliversOnceTheBrokerIsBack() throws Exception {
        int port = LoopbackPorts.free();
        Path data = dir.resolve("kafka");
        EmbeddedKafka broker = EmbeddedKafka.start(data, port);
        try {
            Path file = dir.resolve("ingest.yaml");
            Files.writeString(file, """
                    kafka: { partitions: 1 }
                    ingest:
                      heartbeatEvery: PT0.5S
                      push: { enabled: true, host: 127.0.0.1, port: 0, token: "%s" }
                      delivery: { maxBufferedBytes: 1048576, timeout: PT3S }
                    """.formatted(TOKEN));
            String bootstrap = broker.bootstrapServers(); // the same after the restart: same port
            OpinionWatchConfig config = ConfigLoader.load(file, Map.of()).withBootstrapServers(bootstrap);
            Topics topics = config.topicNames();
            TopicSetup.create(config, false);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Properties producer = KafkaClients.properties(config.kafka());

            try (PostPublisher publisher = new PostPublisher(topics, producer, PostBounds.live(config.ingest().limits(), Clock.systemUTC()),
                    config.ingest().delivery());
                 LiveIngest ingest = LiveIngest.start(config.ingest(), config.endpoints(), file.toString(), publisher, registry, Clock.systemUTC())) {
                publisher.bindTo(registry);
                URI endpoint = URI.create("http://127.0.0.1:" + ingest.pushPort() + "/posts");

                assertEquals(202, push(endpoint, post("before", 10)).statusCode());
                await(() -> ids(bootstrap, topics.postsRaw().name()).contains("before"), "the first post on posts.raw");

                broker.close();
                // Longer than the delivery timeout: the records in the producer expired and it was replaced.
                await(() -> publisher.state() == PostPublisher.State.RETRYING, "a send expired");
                assertEquals(1.0, registry.get("ingest.publisher.state").tag("state", "retrying").gauge().value());

                // While the broker is away, posts are buffered and answered at once; a hostile one is still a 400.
                List<String> buffered = new ArrayList<>();
                HttpResponse<String> answer;
                do {
                    String id = "during-" + buffered.size();
                    long started = System.nanoTime();
                    answer = push(endpoint, post(id, 90_000)); // ~90 KB: the 1 MiB buffer is full after a few
                    assertTrue(System.nanoTime() - started < FAST.toNanos(), "answered within a second, not held");
                    if (answer.statusCode() == 202) {
                        buffered.add(id);
                    }
                } while (answer.statusCode() == 202 && buffered.size() < 100);
                assertEquals(503, answer.statusCode(), answer.body());
                long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
                assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
                assertTrue(buffered.size() >= 5, "posts were buffered up to the limit first: " + buffered.size());
                assertTrue(registry.get("ingest.buffer.posts").gauge().value() >= buffered.size());
                String year1969 = json(post("clock-1969", 1)).replaceAll("\"observedAt\":\"[^\"]+\"", "\"observedAt\":\"1969-12-31T23:59:59Z\"");
                assertEquals(400, push(endpoint, year1969).statusCode());

                broker = EmbeddedKafka.start(data, port);

                // What was buffered arrives, once each, and ingest takes posts again without a restart.
                await(() -> ids(bootstrap, topics.postsRaw().name()).containsAll(buffered), "the buffered posts delivered");
                await(() -> push(endpoint, post("after", 20)).statusCode() == 202, "ingest takes posts again");
                await(() -> ids(bootstrap, topics.postsRaw().name()).contains("after"), "the post after the outage delivered");
                Map<String, Long> copies = idList(bootstrap, topics.postsRaw().name()).stream()
                        .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
                for (String id : buffered) {
                    assertEquals(1L, copies.get(id), id + " arrived once");
                }
                assertEquals(1L, copies.get("before"));
                assertEquals(PostPublisher.State.DELIVERING, publisher.state());
                Instant restarted = Instant.now();
                await(() -> heartbeats(bootstrap, topics.postsRaw().name()).stream().anyMatch(t -> t.isAfter(restarted)), "heartbeats resume");
            }
        } finally {
            broker.close();
        }
    }

    private static Post post(String id, int textChars) {
        Instant now = Instant.now();
        return new Post(id, "partner", "https://partner.example.cn/p/" + id, "食堂饭菜有异物", "x".repeat(textChars),
                "parent", now, now, new Engagement(10, 1, 0, 0), false, null);
    }

    private static String json(Post post) {
        return new String(Topics.POST.serialize("", post), UTF_8);
    }

    private HttpResponse<String> push(URI endpoint, Post post) throws IOException, InterruptedException {
        return push(endpoint, json(post));
    }

    private HttpResponse<String> push(URI endpoint, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until {@code done}, within a minute: the broker takes seconds to start, the producer to reconnect. */
    private static void await(Check done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.ok()) {
            assertTrue(System.nanoTime() < deadline, "not within 60 s: " + what);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static Set<String> ids(String bootstrap, String topic) {
        return Set.copyOf(idList(bootstrap, topic));
    }

    private static List<String> idList(String bootstrap, String topic) {
        List<String> ids = new ArrayList<>();
        read(bootstrap, topic, (key, value) -> {
            if (key != null) { // a post, not a heartbeat
                ids.add(new String(key, UTF_8));
            }
        });
        return ids;
    }

    private static List<Instant> heartbeats(String bootstrap, String topic) {
        List<Instant> times = new ArrayList<>();
        read(bootstrap, topic, (key, value) -> {
            if (key == null) { // a heartbeat among the posts
                times.add(Topics.HEARTBEAT.deserialize(topic, value).time());
            }
        });
        return times;
    }

    private static void read(String bootstrap, String topic, java.util.function.BiConsumer<byte[], byte[]> each) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> each.accept(r.key(), r.value()));
            }
        }
    }
}
