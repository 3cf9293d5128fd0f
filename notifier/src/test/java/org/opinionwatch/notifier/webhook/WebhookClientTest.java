package org.opinionwatch.notifier.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.notifier.WebhookReceiver;
import org.opinionwatch.notifier.WebhookReceiver.Answer;
import org.opinionwatch.notifier.WebhookReceiver.Received;
import org.opinionwatch.notifier.channel.Pace;
import org.opinionwatch.notifier.channel.Sender;
import org.opinionwatch.notifier.channel.WebhookChannel;

/** One attempt, and attempts until an outcome, against a loopback receiver. */
class WebhookClientTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final byte[] BODY = "{\"schema\":\"notification/1\",\"id\":\"n-1\",\"instructions\":\"立即上报\"}".getBytes(UTF_8);
    /** Generous: a first request on a busy machine starts the client's threads and loads its classes. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final WebhookReceiver receiver;
    private final WebhookClient client = new WebhookClient(TIMEOUT, Clock.systemUTC());

    WebhookClientTest() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void close() {
        client.close();
        receiver.close();
    }

    /** The notification the sender's tests deliver, and its bytes as on the topic. */
    private static final org.opinionwatch.notifier.render.Message MESSAGE = org.opinionwatch.notifier.Fixtures.message(
            org.opinionwatch.notifier.Fixtures.triage("n-1"));

    private WebhookChannel channel() {
        return new WebhookChannel("hook", Endpoint.of(receiver.uri("/hook"), SECRET), client, Pace.none());
    }

    private Attempt post(Answer answer) throws InterruptedException {
        receiver.on("/hook", (id, body, n) -> answer);
        return client.post(Endpoint.of(receiver.uri("/hook"), SECRET), "n-1", BODY);
    }

    @Test
    void aSignedJsonPostWithTheNotificationsIdAndBytes() throws InterruptedException {
        Attempt attempt = post(Answer.status(204, ""));
        assertEquals(Attempt.Kind.DELIVERED, attempt.kind(), attempt.reason());
        assertEquals(204, attempt.status());
        Received r = receiver.received().get(0);
        assertEquals("application/json", r.contentType());
        assertEquals("n-1", r.id());
        assertArrayEquals(BODY, r.body());
        assertTrue(Math.abs(Long.parseLong(r.timestamp()) - Instant.now().getEpochSecond()) <= 5, r.timestamp());
        assertTrue(Signature.verify(SECRET, r.timestamp(), r.body(), r.signature(), Instant.now(), Duration.ofMinutes(5)), r.signature());
    }

    @Test
    void serverErrorsTooManyRequestsAndRequestTimeoutAreWorthAnotherAttempt() throws InterruptedException {
        Attempt unavailable = post(Answer.retryAfter(503, "7"));
        assertEquals(Attempt.Kind.FAILED, unavailable.kind());
        assertEquals("http-5xx", unavailable.result());
        assertEquals(Duration.ofSeconds(7), unavailable.retryAfter());
        assertEquals("HTTP 503", unavailable.reason());
        assertEquals("http-429", post(Answer.retryAfter(429, "1")).result());
        assertEquals("http-408", post(Answer.status(408, "")).result());
        Attempt redirected = post(Answer.status(302, ""));
        assertEquals(Attempt.Kind.FAILED, redirected.kind());
        assertEquals("HTTP 302 to https://elsewhere.example.edu/hook: configure the webhook's final URL", redirected.reason());
    }

    @Test
    void otherClientErrorsAreRefusalsWithTheStartOfTheirBody() throws InterruptedException {
        Attempt refused = post(Answer.status(400, "invalid\n  signature"));
        assertEquals(Attempt.Kind.REFUSED, refused.kind());
        assertEquals(400, refused.status());
        assertEquals("HTTP 400: invalid signature", refused.reason());
        Attempt long_ = post(Answer.status(422, "x".repeat(100_000)));
        assertEquals("HTTP 422: " + "x".repeat(200), long_.reason(), "an error page is cut, not kept whole");
    }

    @Test
    void aHangADroppedConnectionAndNoServerAreFailuresToRetry() throws InterruptedException, IOException {
        Duration shortTimeout = Duration.ofMillis(300);
        receiver.on("/hook", (id, body, n) -> Answer.hang(Duration.ofSeconds(3)));
        try (WebhookClient impatient = new WebhookClient(shortTimeout, Clock.systemUTC())) {
            Attempt hang = impatient.post(Endpoint.of(receiver.uri("/hook"), SECRET), "n-1", BODY);
            assertEquals("timeout", hang.result());
            assertNull(hang.status());
            assertTrue(hang.latency().compareTo(Duration.ofSeconds(2)) < 0, "gives up at its timeout: " + hang.latency());
        }
        Attempt dropped = post(Answer.drop());
        assertEquals(Attempt.Kind.FAILED, dropped.kind());
        assertEquals("io", dropped.result(), dropped.reason());
        int closedPort = LoopbackPorts.free(); // nothing listens there
        Attempt nobody = client.post(Endpoint.of(URI.create("http://127.0.0.1:" + closedPort + "/hook"), SECRET), "n-1", BODY);
        assertEquals("connect", nobody.result(), nobody.reason());
    }

    @Test
    void theSenderRetriesUntilDeliveredEachAttemptSignedAnew() throws InterruptedException {
        receiver.on("/hook", (id, body, n) -> switch (n) {
            case 1 -> Answer.status(500, "");
            case 2 -> Answer.drop();
            case 3 -> Answer.retryAfter(429, "0");
            default -> Answer.ok();
        });
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        Sender sender = new Sender(new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)), Clock.systemUTC(), () -> 0.5);
        Sender.Result result = sender.deliver(channel(), MESSAGE, new CountDownLatch(1), attempts::add).orElseThrow();
        assertTrue(result.delivered());
        assertEquals(4, result.attempts());
        assertEquals(200, result.lastStatus());
        assertEquals("HTTP 429", result.reason(), "how the last failed attempt failed");
        assertEquals(List.of("http-5xx", "io", "http-429", "delivered"), attempts.stream().map(Attempt::result).toList());
        for (Received r : receiver.received()) {
            assertTrue(Signature.verify(SECRET, r.timestamp(), r.body(), r.signature(), Instant.now(), Duration.ofMinutes(5)));
        }
    }

    @Test
    void theSenderStopsAtARefusalAndWhenCancelled() throws InterruptedException {
        Sender sender = new Sender(new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(5)), Clock.systemUTC(), () -> 0.5);
        receiver.on("/hook", (id, body, n) -> Answer.status(401, "unknown sender"));
        Sender.Result refused = sender.deliver(channel(), MESSAGE, new CountDownLatch(1), a -> { }).orElseThrow();
        assertEquals(new Sender.Result(false, 1, 401, "HTTP 401: unknown sender", refused.firstAttemptAt(), refused.finishedAt()), refused);

        receiver.on("/hook", (id, body, n) -> Answer.status(503, ""));
        CountDownLatch cancel = new CountDownLatch(1);
        new Thread(() -> {
            sleep(300);
            cancel.countDown();
        }).start();
        long started = System.nanoTime();
        Optional<Sender.Result> cancelled = sender.deliver(channel(), MESSAGE, cancel, a -> { });
        assertTrue(cancelled.isEmpty());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "a wait of 15 s or more ends when cancelled");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
