package org.opinionwatch.ingest.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;

/**
 * Live ingest as the operations team runs it, against real HTTP servers on loopback and the real broker: a Discuz!
 * board in GBK whose counts grow between polls, a phpBB board in UTF-8 whose thread never changes, a news feed, a
 * broken thread page, a host that hangs, and one that is down.
 */
class LiveIngestBrokerTest {
    private static final Charset GBK = Charset.forName("GB18030");
    private static final Path PAGES = Path.of("src", "test", "resources", "source");

    @TempDir
    Path dir;
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    private HttpServer serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        servers.add(server);
        return server;
    }

    private static String base(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static String page(String name, Charset charset) throws IOException {
        return new String(Files.readAllBytes(PAGES.resolve(name)), charset);
    }

    private static void respond(HttpExchange exchange, int status, String body, Charset charset, String type) throws IOException {
        byte[] bytes = body.getBytes(charset);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void pollsForumsAndFeedsIntoPostsRawWithGrowingCountsNoRepeatsAndDeadLetters() throws Exception {
        AtomicInteger discuzViews = new AtomicInteger(1024);
        AtomicInteger phpbbRequests = new AtomicInteger();
        AtomicInteger feedRequests = new AtomicInteger();

        HttpServer discuz = serve(exchange -> {
            String host = "http://" + exchange.getRequestHeaders().getFirst("Host") + "/";
            String path = exchange.getRequestURI().toString();
            if (path.startsWith("/forum.php?mod=forumdisplay")) {
                respond(exchange, 200, page("discuz-list.gbk.html", GBK).replace("https://bbs.qingxi-school.cn/", host), GBK, "text/html");
            } else if (path.contains("tid=1534")) {
                // Every fetch of the thread sees ten more views: the counts grow from poll to poll.
                String views = String.format("%,d", discuzViews.addAndGet(10));
                respond(exchange, 200, page("discuz-thread.gbk.html", GBK).replace("https://bbs.qingxi-school.cn/", host)
                        .replace("<span class=\"xi1\">1,024</span>", "<span class=\"xi1\">" + views + "</span>"), GBK, "text/html; charset=gbk");
            } else if (path.contains("tid=1529")) {
                respond(exchange, 200, "<html><body><p>数据库错误</p></body></html>", GBK, "text/html; charset=gbk");
            } else {
                respond(exchange, 404, "", StandardCharsets.UTF_8, "text/plain");
            }
        });
        HttpServer phpbb = serve(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/viewforum.php")) {
                respond(exchange, 200, page("phpbb-list.html", StandardCharsets.UTF_8), StandardCharsets.UTF_8, "text/html; charset=utf-8");
            } else if (path.equals("/viewtopic.php")) {
                phpbbRequests.incrementAndGet();
                respond(exchange, 200, page("phpbb-thread.html", StandardCharsets.UTF_8), StandardCharsets.UTF_8, "text/html; charset=utf-8");
            } else {
                respond(exchange, 404, "", StandardCharsets.UTF_8, "text/plain");
            }
        });
        HttpServer news = serve(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/rss.xml")) {
                feedRequests.incrementAndGet();
                respond(exchange, 200, page("rss.xml", StandardCharsets.UTF_8), StandardCharsets.UTF_8, "application/rss+xml");
            } else {
                respond(exchange, 404, "", StandardCharsets.UTF_8, "text/plain");
            }
        });
        HttpServer hanging = serve(exchange -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "<rss/>", StandardCharsets.UTF_8, "application/rss+xml");
        });

        Path config = dir.resolve("ingest.yaml");
        Files.writeString(config, """
                ingest:
                  heartbeatEvery: PT0.2S
                  push: { enabled: true, host: 127.0.0.1, port: 0, token: "test-token-0123456789" }
                  http: { requestTimeout: PT0.3S, connectTimeout: PT0.3S, maxAttempts: 2, initialBackoff: PT0.05S, perHostInterval: PT0.01S }
                  sources:
                    - { id: school-bbs, type: forum, engine: discuz, url: "%sforum.php?mod=forumdisplay&fid=2", pollEvery: PT0.4S }
                    - { id: college-bbs, type: forum, engine: phpbb, url: "%sviewforum.php?f=4", pollEvery: PT0.4S }
                    - { id: city-daily, type: feed, url: "%srss.xml", mainstream: true, pollEvery: PT0.4S }
                    - { id: hanging-host, type: feed, url: "%srss.xml", pollEvery: PT0.4S }
                    - { id: down-host, type: feed, url: "http://127.0.0.1:9/rss.xml", pollEvery: PT0.4S }
                    - { id: error-page, type: feed, url: "%sforum.php?mod=viewthread&tid=1529", pollEvery: PT0.4S }
                """.formatted(base(discuz), base(phpbb), base(news), base(hanging), base(discuz)));
        String namespace = "live-" + System.nanoTime() + ".";
        OpinionWatchConfig settings = ConfigLoader.load(config, Map.of()).inNamespace(namespace)
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
        Topics topics = settings.topicNames();
        createTopics(settings, topics);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers());
        try (PostPublisher publisher = new PostPublisher(topics, producer, PostBounds.live(settings.ingest().limits(), Clock.systemUTC()),
                settings.ingest().delivery());
             LiveIngest ingest = LiveIngest.start(settings.ingest(), settings.endpoints(), config.toString(), publisher, registry, Clock.systemUTC())) {
            String pushed = new String(Topics.POST.serialize("", new Post("partner:77", "partner", null, "家长群转发", "听说学校要合并",
                    "parent", null, java.time.Instant.parse("2024-05-21T01:00:00Z"), null, false, null)), StandardCharsets.UTF_8);
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + ingest.pushPort() + "/posts"))
                    .header("Authorization", "Bearer test-token-0123456789").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[" + pushed + "]")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(202, response.statusCode(), response.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((discuzViews.get() < 1024 + 40 || feedRequests.get() < 3 || phpbbRequests.get() < 6) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }

        List<Post> posts = read(topics.postsRaw().name()).stream().filter(r -> r.key() != null) // heartbeats have none
                .map(r -> Topics.POST.deserialize("", r.value())).toList();
        String discuzThread = base(discuz) + "forum.php?mod=viewthread&tid=1534";
        List<Long> views = posts.stream().filter(p -> p.id().equals(discuzThread)).map(p -> p.engagement().views()).toList();
        assertTrue(views.size() >= 3, "the GBK thread is re-observed on every poll: " + views);
        for (int i = 1; i < views.size(); i++) {
            assertTrue(views.get(i) > views.get(i - 1), "counts grow from snapshot to snapshot: " + views);
        }
        assertEquals(36, posts.stream().filter(p -> p.id().equals(discuzThread)).findFirst().orElseThrow().engagement().comments());
        assertTrue(posts.stream().anyMatch(p -> p.id().equals(discuzThread) && p.title().equals("食堂饭菜里吃出虫子，学校什么时候给个说法？")),
                "GBK decoded");

        Map<String, Long> phpbbSnapshots = posts.stream().filter(p -> p.source().equals("college-bbs"))
                .collect(Collectors.groupingBy(Post::id, Collectors.counting()));
        assertFalse(phpbbSnapshots.isEmpty());
        assertTrue(phpbbSnapshots.values().stream().allMatch(n -> n == 1),
                "an unchanged thread polled again and again is published once: " + phpbbSnapshots);
        assertTrue(phpbbRequests.get() >= 6);
        assertTrue(posts.stream().filter(p -> p.source().equals("college-bbs") && p.repostOf() == null).allMatch(p -> p.engagement().views() > 0),
                "phpBB views come from the list rows");
        List<Post> replies = posts.stream().filter(p -> p.source().equals("college-bbs") && p.repostOf() != null).toList();
        // the test server answers every topic with the same page: each of the three threads has its reply, once
        assertEquals(Set.of("3", "42", "39"), replies.stream().map(p -> p.id().replaceAll(".*t=(\\d+)#p105$", "$1")).collect(Collectors.toSet()),
                "the reply on each thread page is published once, as a post of its own: " + replies);
        assertEquals(3, replies.size(), "published once although polled again: " + replies);
        assertTrue(replies.stream().allMatch(p -> p.id().equals(p.repostOf() + "#p105")), "a reply answers its thread");

        Map<String, Long> feedItems = posts.stream().filter(p -> p.source().equals("city-daily"))
                .collect(Collectors.groupingBy(Post::id, Collectors.counting()));
        assertFalse(feedItems.isEmpty());
        assertTrue(feedItems.values().stream().allMatch(n -> n == 1), "feed items once each: " + feedItems);
        assertTrue(posts.stream().filter(p -> p.source().equals("city-daily")).allMatch(Post::mainstream));

        assertEquals(1, posts.stream().filter(p -> p.id().equals("partner:77")).count(), "the pushed post is on posts.raw");
        assertEquals(1.0, registry.find("ingest.posts.published").tag("source", "push").counter().count());

        List<DeadLetter> rejected = read(topics.postsDlq().name()).stream().map(r -> Topics.DEAD_LETTER.deserialize("", r.value())).toList();
        List<DeadLetter> broken = rejected.stream().filter(d -> d.source().equals("school-bbs") && d.location().contains("tid=1529")).toList();
        assertEquals(1, broken.size(), "the broken page lands in the DLQ with its reason, once although polled again: " + rejected);
        assertTrue(broken.get(0).reason().contains("title"), broken.get(0).reason());
        assertTrue(posts.stream().anyMatch(p -> p.source().equals("city-daily") && p.publishedAtUnknown()),
                "the item whose date cannot be read is published, marked");
        assertEquals(2.0, registry.find("ingest.posts.time.unknown").tag("source", "city-daily").counter().count(),
                "the feed's two items without a readable date, counted once although polled again");

        assertTrue(registry.find("ingest.fetch.failures").tag("source", "hanging-host").tag("reason", "timeout").counter().count() >= 1);
        assertTrue(registry.find("ingest.fetch.failures").tag("source", "down-host").counter().count() >= 1);
        assertTrue(registry.find("ingest.posts.duplicates").tag("source", "college-bbs").counter().count() >= 1);
        assertTrue(registry.find("ingest.last.success").tag("source", "school-bbs").gauge().value() > 0);
        assertTrue(registry.find("ingest.last.success").tag("source", "city-daily").gauge().value() > 0);
        assertTrue(registry.find("ingest.fetches").tag("source", "error-page").tag("outcome", "fetched").counter().count() >= 1);
        for (String silent : List.of("error-page", "hanging-host", "down-host")) {
            assertEquals(0.0, registry.find("ingest.last.success").tag("source", silent).gauge().value(),
                    silent + ": nothing read from it, although an error page was fetched, is no success");
        }
        assertEquals(0.4, registry.find("ingest.poll.interval").tag("source", "school-bbs").gauge().value(), "the period beside it");
        assertEquals(null, registry.find("ingest.poll.interval").tag("source", "push").gauge(), "a pushing source has none");
        assertTrue(read(topics.postsRaw().name()).stream().filter(r -> r.key() == null)
                .anyMatch(r -> Topics.HEARTBEAT.deserialize("", r.value()).time() != null), "heartbeats among the posts advance the clock");
    }

    private static void createTopics(OpinionWatchConfig settings, Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers()))) {
            admin.createTopics(topics.all().stream().map(t -> new NewTopic(t.name(), 1, (short) 1)).toList()).all().get();
            TopicSetup.awaitServed(admin, topics.all().stream().map(Topic::name).toList());
        }
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.shared().bootstrapServers());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
