package org.opinionwatch.notifier.webhook;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes one signed POST to a webhook and says what came of it. Thread-safe: one client serves every role.
 *
 * <p>Each request carries {@code Content-Type: application/json}, {@value #ID_HEADER} (the notification's
 * deterministic id, for the receiver to drop duplicates), {@value #TIMESTAMP_HEADER} (epoch seconds of this attempt)
 * and {@value #SIGNATURE_HEADER} (see {@link Signature}). Every attempt is signed anew with its own timestamp, so a
 * retry hours later is not refused as a replay.
 */
public final class WebhookClient implements AutoCloseable {
    public static final String ID_HEADER = "X-OpinionWatch-Id";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String TIMESTAMP_HEADER = "X-OpinionWatch-Timestamp";
    public static final String SIGNATURE_HEADER = "X-OpinionWatch-Signature";
    private static final String USER_AGENT = "OpinionWatch-Notifier/0.1";
    /** Of a response that is not 2xx, the start of its body goes into the reason: enough for "invalid signature". */
    public static final int REASON_BODY_BYTES = 200;

    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient client;

    public WebhookClient(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        // An executor of our own, so that close() ends the client's threads (Java 17's HttpClient has no close).
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "opinionwatch-webhook-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // A webhook that redirects is misconfigured; following would turn the POST into a GET on 301/302.
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/1.1: on plain http the client would otherwise attempt an h2c upgrade, which some receivers mishandle.
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
    }

    /** One POST of {@code body} to the endpoint, signed with its secret. */
    public Attempt post(Endpoint endpoint, String id, byte[] body) throws InterruptedException {
        long timestamp = clock.instant().getEpochSecond();
        return post(endpoint.url(), Map.of(ID_HEADER, id, TIMESTAMP_HEADER, Long.toString(timestamp),
                SIGNATURE_HEADER, Signature.sign(endpoint.secret(), timestamp, body)), body, REASON_BODY_BYTES).attempt();
    }

    /**
     * An attempt and the start of the answer's body (its first {@code keepBytes}, on one line): a chat robot says in
     * the body of its 200 whether it took the message.
     */
    public record Reply(Attempt attempt, String body) {
    }

    /** One JSON POST to {@code url} with these headers (a {@value #CONTENT_TYPE} among them replaces {@code application/json}). */
    public Reply post(URI url, Map<String, String> headers, byte[] body, int keepBytes) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", headers.getOrDefault(CONTENT_TYPE, "application/json"))
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!name.equals(CONTENT_TYPE)) {
                request.header(name, value);
            }
        });
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request.build(), info -> new BodyStart(keepBytes));
        HttpResponse<String> response;
        try {
            // The request's own timeout ends when the headers arrive; this wait bounds the body as well.
            response = pending.get(timeout.toNanos(), NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Reply(failed(null, "timeout", "no complete response within " + timeout, null, started), "");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return new Reply(failure(e.getCause(), started), "");
        }
        return new Reply(classify(response, started), response.body());
    }

    private Attempt classify(HttpResponse<String> response, long started) {
        int status = response.statusCode();
        String said = "HTTP " + status + (response.body().isEmpty() ? "" : ": " + response.body());
        if (status >= 200 && status < 300) {
            return new Attempt(Attempt.Kind.DELIVERED, status, Attempt.DELIVERED_RESULT, null, null, since(started));
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").map(v -> retryAfter(v, clock.instant())).orElse(null);
        if (status >= 500 || status == 408 || status == 429) {
            return failed(status, status >= 500 ? "http-5xx" : "http-" + status, said, retryAfter, started);
        }
        if (status >= 300 && status < 400) {
            // Retried rather than refused: the URL is wrong, and nothing is given up while someone corrects it.
            String location = response.headers().firstValue("Location").map(l -> " to " + l).orElse("");
            return failed(status, "http-3xx", "HTTP " + status + location + ": configure the webhook's final URL", null, started);
        }
        return new Attempt(Attempt.Kind.REFUSED, status, "refused", said, null, since(started));
    }

    private static Attempt failure(Throwable error, long started) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpTimeoutException) {
                return failed(null, "timeout", cause.getMessage(), null, started);
            }
            if (cause instanceof ConnectException) {
                return failed(null, "connect", "cannot connect: " + cause, null, started);
            }
        }
        // A dropped connection, a reset, a malformed response: the receiver's trouble, worth another attempt.
        return failed(null, "io", error.toString(), null, started);
    }

    static Attempt failed(Integer status, String result, String reason, Duration retryAfter, long started) {
        return new Attempt(Attempt.Kind.FAILED, status, result, reason, retryAfter, since(started));
    }

    static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** {@code Retry-After} is delay seconds or an HTTP date (RFC 9110 10.2.3); null when it is neither. */
    static Duration retryAfter(String value, Instant now) {
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Ends the client's threads; attempts still running fail. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * Keeps the first bytes of a response body, as one line of text for a reason, and discards the rest: a receiver's
     * error page must not fill the notifier's memory or its delivery records.
     */
    private static final class BodyStart implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;

        BodyStart(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), limit - kept.size());
                if (n > 0) {
                    byte[] bytes = new byte[n];
                    buffer.get(bytes);
                    kept.write(bytes, 0, n);
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            // Lenient decoding: a character cut at the limit, or a body that is not UTF-8, must not lose the reason.
            result.complete(new String(kept.toByteArray(), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim());
        }
    }
}
