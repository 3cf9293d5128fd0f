package org.opinionwatch.ingest.push;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostSink;

/** The endpoint on loopback, driven by the JDK's HTTP client, delivering to a sink that records what it got. */
class PushEndpointTest {
    private static final String TOKEN = "s3cret-token";
    private static final String PATH = "/v1/posts";
    private static final int MAX_BODY = 16 * 1024;
    private static final int MAX_BATCH = 5;
    private static final OpinionWatchConfig.Endpoints LIMITS = ConfigLoader.load(null, Map.of()).endpoints();
    private static final JsonSerde<Post> POSTS = new JsonSerde<>(Post.class, Post.SCHEMA);
    /** Live bounds on a clock at 10:00, an hour after the posts of the tests were observed. */
    private static final PostBounds BOUNDS = PostBounds.live(new OpinionWatchConfig.InputLimits(
            Instant.parse("2000-01-01T00:00:00Z"), Duration.ofMinutes(5)), Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC));

    private final RecordingSink sink = new RecordingSink();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PushEndpoint endpoint;

    /** Records what reached it; the endpoint promises one caller at a time, the lists are safe regardless. */
    static final class RecordingSink implements PostSink {
        final List<Post> published = new CopyOnWriteArrayList<>();
        final List<DeadLetter> rejected = new CopyOnWriteArrayList<>();

        @Override
        public void publish(Post post) {
            published.add(post);
        }

        @Override
        public void reject(DeadLetter deadLetter) {
            rejected.add(deadLetter);
        }
    }

    /** A request body that sends its first bytes, then stalls until released. */
    static final class StallingBody extends InputStream {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final byte[] body;
        private int next;

        StallingBody(byte[] body) {
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        /**
         * Two calls return 10 bytes each, the third stalls: the JDK client reads one buffer ahead before it sends one,
         * so the headers and the first 10 bytes reach the server, which is then reading the body when it stalls.
         */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (next == 20) {
                stalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (next == body.length) {
                return -1;
            }
            int n = Math.min(len, next < 20 ? 10 : body.length - next);
            System.arraycopy(body, next, b, off, n);
            next += n;
            return n;
        }
    }

    @BeforeEach
    void start() throws IOException {
        endpoint = PushEndpoint.start(new PushSettings("127.0.0.1", 0, PATH, TOKEN, MAX_BODY, MAX_BATCH), sink, LIMITS, BOUNDS);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private static Post post(int n) {
        Instant observed = Instant.parse("2024-05-01T09:00:00Z").plusSeconds(n);
        return new Post("bbs.example.edu/t/" + n, "bbs.example.edu", "https://bbs.example.edu/t/" + n, "食堂饭菜有异物 " + n,
                "正文", "student01", observed.minusSeconds(3600), observed, new Engagement(1200, 45, 0, 3), false, null);
    }

    private static String json(Post post) {
        return new String(POSTS.serialize("posts.raw", post), UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpRequest.Builder authorised(BodyPublisher body) {
        return request(PATH).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(body);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, BodyHandlers.ofString());
    }

    private HttpResponse<String> push(String body) throws IOException, InterruptedException {
        return send(authorised(BodyPublishers.ofString(body)).build());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        return Json.TOLERANT.readTree(response.body());
    }

    /** Asserts the status and error, and that the body went nowhere but to one dead letter with that reason. */
    private JsonNode assertRejected(HttpResponse<String> response, int status, String error) throws IOException {
        JsonNode answer = json(response);
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, answer.get("error").asText());
        assertEquals(List.of(), sink.published);
        assertEquals(1, sink.rejected.size());
        DeadLetter deadLetter = sink.rejected.get(0);
        assertEquals("push", deadLetter.source());
        assertEquals("POST " + PATH + " from 127.0.0.1", deadLetter.location());
        assertTrue(deadLetter.reason().startsWith(error), deadLetter.reason());
        return answer;
    }

    /** Asserts the status and error of a refusal that is no input: nothing reaches the sink at all. */
    private void assertRefused(HttpResponse<String> response, int status, String error) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, json(response).get("error").asText());
        assertEquals(List.of(), sink.published);
        assertEquals(List.of(), sink.rejected);
    }

    @Test
    void oneObjectIsAccepted() throws Exception {
        HttpResponse<String> response = push(json(post(1)));

        assertEquals(202, response.statusCode(), response.body());
        assertEquals(1, json(response).get("accepted").asInt());
        assertEquals(List.of(post(1)), sink.published);
        assertEquals(List.of(), sink.rejected);
    }

    @Test
    void aBatchOfThreeIsAcceptedInOrder() throws Exception {
        HttpResponse<String> response = push("[" + json(post(3)) + "," + json(post(1)) + "," + json(post(2)) + "]");

        assertEquals(202, response.statusCode(), response.body());
        assertEquals(3, json(response).get("accepted").asInt());
        assertEquals(List.of(post(3), post(1), post(2)), sink.published);
        assertEquals(List.of(), sink.rejected);
    }

    @Test
    void aMissingTokenIs401AndNotDeadLettered() throws Exception {
        HttpResponse<String> response = send(request(PATH).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json(post(1)))).build());

        assertRefused(response, 401, "missing bearer token: send Authorization: Bearer <token>");
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void anotherSchemeIs401() throws Exception {
        HttpResponse<String> response = send(request(PATH).header("Authorization", "Basic " + TOKEN)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json(post(1)))).build());

        assertRefused(response, 401, "missing bearer token: send Authorization: Bearer <token>");
    }

    @Test
    void aWrongTokenIs403AndNotDeadLettered() throws Exception {
        for (String wrong : List.of(TOKEN + "x", TOKEN.substring(1), "S3CRET-TOKEN")) {
            HttpResponse<String> response = send(request(PATH).header("Authorization", "Bearer " + wrong)
                    .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json(post(1)))).build());

            assertRefused(response, 403, "wrong bearer token");
        }
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        HttpResponse<String> response = send(request(PATH).header("Authorization", "bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json(post(1)))).build());

        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> response = send(request(PATH).header("Authorization", "Bearer " + TOKEN).GET().build());

        assertRefused(response, 405, "method GET not allowed: use POST");
        assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void otherPathsAre404() throws Exception {
        HttpResponse<String> response = send(request("/v1/post").header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json(post(1)))).build());

        assertRefused(response, 404, "no such path: posts are accepted at /v1/posts");
    }

    /** Refused unread, yet the client still learns why: the server reads on (discarding) before it closes. */
    @Test
    void aBodyDeclaredOverTheLimitIs413() throws Exception {
        String body = "[" + json(post(1)) + " ".repeat(1024 * 1024) + "]";

        HttpResponse<String> response = push(body);

        assertRejected(response, 413, "body of " + body.getBytes(UTF_8).length + " bytes is over the limit of " + MAX_BODY + " bytes");
        assertNull(sink.rejected.get(0).input(), "refused before reading");
    }

    @Test
    void aBodyAtTheLimitIsRead() throws Exception {
        String post = json(post(1));
        HttpResponse<String> response = push(post + " ".repeat(MAX_BODY - post.getBytes(UTF_8).length));

        assertEquals(202, response.statusCode(), response.body());
    }

    /** Without Content-Length (chunked), the limit applies while reading: only one byte past it is held. */
    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = ("[" + json(post(1)) + " ".repeat(2 * MAX_BODY) + "]").getBytes(UTF_8);

        HttpResponse<String> response = send(authorised(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertEquals(Optional.empty(), response.request().headers().firstValue("Content-Length"), "sent chunked");
        assertRejected(response, 413, "body is over the limit of " + MAX_BODY + " bytes");
        assertEquals(MAX_BODY + 1, sink.rejected.get(0).input().getBytes(UTF_8).length, "the dead letter holds what was read");
    }

    /**
     * A body that never ends is cut off: the server reads one byte past the limit, discards a bounded amount more and
     * closes the connection. Whether the client reads the 413 first is a race it may lose (TCP drops unread input
     * on a reset); the refusal is dead-lettered all the same, and the endpoint serves on.
     */
    @Test
    void anEndlessChunkedBodyIsCutOff() throws Exception {
        AtomicLong sent = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                sent.incrementAndGet();
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) ' ');
                sent.addAndGet(len);
                return len;
            }
        };

        try {
            assertEquals(413, send(authorised(BodyPublishers.ofInputStream(() -> endless)).build()).statusCode());
        } catch (IOException closed) {
            // the connection closed before the client got to read the answer, as it may
        }

        assertEquals(List.of(), sink.published);
        assertEquals("body is over the limit of " + MAX_BODY + " bytes", sink.rejected.get(0).reason());
        assertTrue(sent.get() < 1024L * 1024 * 1024, "the server stopped reading; the client sent " + sent.get());
        assertEquals(202, push(json(post(1))).statusCode(), "and goes on serving");
    }

    @Test
    void malformedJsonIs400WithTheReasonAndDeadLettered() throws Exception {
        String body = "{\"schema\":\"post/1\",\"id\":";

        JsonNode answer = assertRejected(push(body), 400,
                "malformed JSON: Unexpected end-of-input within/between Object entries (line 1, column 25)");
        assertEquals(0, answer.get("details").size());
        assertEquals(body, sink.rejected.get(0).input());
    }

    @Test
    void trailingContentIs400() throws Exception {
        String body = json(post(1)) + " " + json(post(2));

        assertEquals(400, push(body).statusCode());
        assertTrue(sink.rejected.get(0).reason().startsWith("malformed JSON: Trailing token"), sink.rejected.get(0).reason());
        assertEquals(List.of(), sink.published);
    }

    @Test
    void neitherObjectNorArrayIs400() throws Exception {
        assertRejected(push("\"a post\""), 400, "expected a post/1 object or an array of them, not a JSON string");
    }

    @Test
    void anEmptyBodyIs400() throws Exception {
        assertRejected(push(""), 400, "empty body: expected a post/1 object or an array of them");
    }

    @Test
    void anEmptyArrayIs400() throws Exception {
        assertRejected(push("[ ]"), 400, "empty array: expected at least one post");
    }

    @Test
    void aBatchOverTheLimitIs400() throws Exception {
        String body = IntStream.range(0, MAX_BATCH + 1).mapToObj(n -> json(post(n))).collect(Collectors.joining(",", "[", "]"));

        assertRejected(push(body), 400, "batch of 6 posts is over the limit of 5: split it");
    }

    /** One bad item refuses the whole batch, and the answer names every bad item so the client can fix them. */
    @Test
    void invalidItemsRefuseTheWholeBatchAndAreNamed() throws Exception {
        String unknownField = json(post(1)).replace("\"mainstream\"", "\"colour\":\"red\",\"mainstream\"");
        String wrongSchema = json(post(2)).replace("post/1", "post/2");
        String noId = json(post(3)).replace("\"id\":\"bbs.example.edu/t/3\",", "");
        String noSource = json(post(4)).replace("\"source\":\"bbs.example.edu\",", "");
        String noObservedAt = json(post(5)).replace("\"observedAt\":\"2024-05-01T09:00:05Z\",", "");
        List<String> items = List.of(json(post(0)), unknownField, wrongSchema, noId, noSource);
        String body = "[" + String.join(",", items) + "]";

        JsonNode answer = assertRejected(push(body), 400, "4 of 5 posts invalid, none accepted");

        List<String> details = new ArrayList<>();
        answer.get("details").forEach(item -> details.add(item.get("index").asInt() + ": " + item.get("reason").asText()));
        assertEquals(List.of(
                "1: invalid post/1: Unrecognized field \"colour\" (class org.opinionwatch.contract.event.Post), not marked as ignorable (at Post[\"colour\"])",
                "2: schema \"post/2\" where \"post/1\" was expected",
                "3: invalid post/1: id is required",
                "4: invalid post/1: source is required"), details);
        DeadLetter deadLetter = sink.rejected.get(0);
        assertEquals(body, deadLetter.input());
        assertTrue(deadLetter.reason().contains("; [2] schema \"post/2\" where \"post/1\" was expected"), deadLetter.reason());

        sink.rejected.clear();
        JsonNode single = assertRejected(push(noObservedAt), 400, "1 of 1 posts invalid, none accepted");
        assertEquals(0, single.get("details").get(0).get("index").asInt());
        assertTrue(single.get("details").get(0).get("reason").asText().contains("observedAt is required"), single.toString());
    }

    @Test
    void anotherCharsetIs415AndDeadLetteredInThatCharset() throws Exception {
        String body = json(post(1));
        HttpResponse<String> response = send(request(PATH).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json; charset=GBK")
                .POST(BodyPublishers.ofByteArray(body.getBytes(Charset.forName("GBK")))).build());

        assertRejected(response, 415, "charset GBK not supported: send UTF-8");
        assertEquals(body, sink.rejected.get(0).input(), "readable to a person");
    }

    @Test
    void anotherMediaTypeIs415() throws Exception {
        HttpResponse<String> response = send(request(PATH).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString(json(post(1)))).build());

        assertRejected(response, 415, "Content-Type text/plain: send application/json");
    }

    @Test
    void invalidUtf8Is400() throws Exception {
        byte[] body = json(post(1)).replace("正文", "\u0000").getBytes(UTF_8);
        int at = new String(body, ISO_8859_1).indexOf('\u0000');
        body[at] = (byte) 0xC3; // a lead byte followed by '"', not a continuation byte

        assertRejected(send(authorised(BodyPublishers.ofByteArray(body)).build()), 400,
                "body is not valid UTF-8 (first bad byte at offset " + at + ")");
    }

    /**
     * The sink without room (the broker away): the client is told to resend the same request later, and when; a
     * request whose input is refused is refused all the same, its dead letter logged for want of room.
     */
    @Test
    void aSinkWithoutRoomIs503WithRetryAfterAndNothingTaken() throws Exception {
        endpoint.close();
        PostSink full = new PostSink() {
            @Override
            public void publish(Post post) {
                throw new AssertionError("the endpoint offers, it never waits");
            }

            @Override
            public void reject(DeadLetter deadLetter) {
                throw new AssertionError("the endpoint tries, it never waits");
            }

            @Override
            public void offer(List<Post> posts) throws Unavailable {
                throw new Unavailable("ingest's buffer is full: 500 posts wait for the broker, which is unreachable",
                        Duration.ofSeconds(12));
            }

            @Override
            public boolean tryReject(DeadLetter deadLetter) {
                return false;
            }
        };
        endpoint = PushEndpoint.start(new PushSettings("127.0.0.1", 0, PATH, TOKEN, MAX_BODY, MAX_BATCH), full, LIMITS, BOUNDS);

        long started = System.nanoTime();
        HttpResponse<String> response = push("[" + json(post(1)) + "," + json(post(2)) + "]");

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("12", response.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("posts not accepted, resend in 12 s: ingest's buffer is full: 500 posts wait for the broker, "
                + "which is unreachable", json(response).get("error").asText());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(1).toNanos(), "answered at once");

        HttpResponse<String> bad = push("not JSON");
        assertEquals(400, bad.statusCode(), "a permanent fault is never offered as one to retry");
        assertEquals(Optional.empty(), bad.headers().firstValue("Retry-After"));
    }

    /** The times of the issue: a clock in 1969, year 1, two hours ahead. Each is the client's to fix: 400, never 503. */
    @Test
    void eventTimesOutOfBoundsAre400NamingTheItemAndTheField() throws Exception {
        String year1969 = json(post(1)).replace("2024-05-01T09:00:01Z", "1969-12-31T23:59:59Z");
        String year1 = json(post(2)).replace("\"observedAt\":\"2024-05-01T09:00:02Z\"", "\"observedAt\":\"0001-01-01T00:00:00Z\"");
        String ahead = json(post(3)).replace("\"observedAt\":\"2024-05-01T09:00:03Z\"", "\"observedAt\":\"2024-05-01T12:00:00Z\"");
        String body = "[" + json(post(0)) + "," + year1969 + "," + year1 + "," + ahead + "," + json(post(4)) + "]";

        JsonNode answer = assertRejected(push(body), 400, "3 of 5 posts invalid, none accepted");

        List<String> details = new ArrayList<>();
        answer.get("details").forEach(item -> details.add(item.get("index").asInt() + " " + item.get("field").asText()
                + " " + item.get("reason").asText()));
        assertEquals(List.of(
                "1 observedAt is 1969-12-31T23:59:59Z, before the earliest accepted event time 2000-01-01T00:00:00Z (ingest.limits.earliest)",
                "2 observedAt is 0001-01-01T00:00:00Z, before the earliest accepted event time 2000-01-01T00:00:00Z (ingest.limits.earliest)",
                "3 observedAt is 2024-05-01T12:00:00Z, more than PT5M ahead of ingest's clock at 2024-05-01T10:00:00Z (ingest.limits.maxSkew)"),
                details);
        assertTrue(sink.rejected.get(0).reason().contains("; [2] observedAt is 0001-01-01T00:00:00Z, before"), sink.rejected.get(0).reason());

        assertEquals(202, push(json(post(5))).statusCode(), "and the endpoint serves on");
        assertEquals(List.of(post(5)), sink.published);
    }

    @Test
    void fieldsOverTheirLimitsAre400NamingEachField() throws Exception {
        Post big = new Post("bbs.example.edu/t/9", "bbs.example.edu", "javascript:alert(1)", "标".repeat(Limits.TITLE_CHARS + 1),
                "正文", "a".repeat(Limits.AUTHOR_CHARS + 1), null, Instant.parse("2024-05-01T09:00:00Z"),
                new Engagement(Long.MAX_VALUE, 0, 0, Limits.COUNT + 1), false, null);

        JsonNode answer = assertRejected(push(json(big)), 400, "1 of 1 posts invalid, none accepted");

        List<String> fields = new ArrayList<>();
        answer.get("details").forEach(item -> fields.add(item.get("field").asText() + ": " + item.get("reason").asText()));
        assertEquals(List.of(
                "url: is not an absolute http or https URL",
                "title: has 1001 characters, more than the 1000 allowed",
                "author: has 257 characters, more than the 256 allowed",
                "engagement.views: is 9223372036854775807, more than the 1000000000000 allowed",
                "engagement.likes: is 1000000000001, more than the 1000000000000 allowed"), fields);
    }

    /**
     * A client that sends its body slowly holds one thread: the others are answered meanwhile, and it is answered
     * too once its body is complete. The sink sees posts in the order their requests were accepted.
     */
    @Test
    void aSlowClientDoesNotHoldTheOthers() throws Exception {
        StallingBody slow = new StallingBody(json(post(100)).getBytes(UTF_8));
        CompletableFuture<HttpResponse<String>> slowResponse =
                client.sendAsync(authorised(BodyPublishers.ofInputStream(() -> slow)).build(), BodyHandlers.ofString());

        List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            others.add(client.sendAsync(authorised(BodyPublishers.ofString(json(post(n)))).build(), BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> other : others) {
            assertEquals(202, other.get(10, TimeUnit.SECONDS).statusCode());
        }
        assertFalse(slowResponse.isDone());
        assertEquals(20, sink.published.size());

        slow.release.countDown();
        assertEquals(202, slowResponse.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(post(100), sink.published.get(20), "the slow request was accepted last");
    }

    /** Closing answers the request in flight, and refuses new connections. */
    @Test
    void closeLetsARequestInFlightFinish() throws Exception {
        StallingBody paused = new StallingBody(json(post(1)).getBytes(UTF_8));
        CompletableFuture<HttpResponse<String>> inFlight =
                client.sendAsync(authorised(BodyPublishers.ofInputStream(() -> paused)).build(), BodyHandlers.ofString());
        assertTrue(paused.stalled.await(10, TimeUnit.SECONDS));
        Thread.sleep(200); // for the headers and the first bytes to reach the server, which is now reading the body

        CompletableFuture<Void> closing = CompletableFuture.runAsync(endpoint::close);
        Thread.sleep(200);
        paused.release.countDown();

        assertEquals(202, inFlight.get(10, TimeUnit.SECONDS).statusCode());
        closing.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(post(1)), sink.published);
        HttpClient fresh = HttpClient.newHttpClient(); // a new connection, not the one the client kept alive
        assertThrows(ConnectException.class, () -> fresh.send(authorised(BodyPublishers.ofString(json(post(2)))).build(),
                BodyHandlers.ofString()));
    }

    @Test
    void settingsAreValidatedAndNeverShowTheToken() {
        PushSettings settings = new PushSettings("127.0.0.1", 0, PATH, TOKEN, MAX_BODY, MAX_BATCH);
        assertFalse(settings.toString().contains(TOKEN), settings.toString());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new PushSettings("127.0.0.1", 0, PATH, " ", MAX_BODY, MAX_BATCH));
        assertEquals("token is required", blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PushSettings("127.0.0.1", 0, "v1/posts", TOKEN, MAX_BODY, MAX_BATCH));
        assertThrows(IllegalArgumentException.class, () -> new PushSettings("127.0.0.1", 0, PATH, TOKEN, 0, MAX_BATCH));
        assertThrows(IllegalArgumentException.class, () -> new PushSettings("127.0.0.1", 0, PATH, TOKEN, MAX_BODY, 0));
    }
}
