package org.opinionwatch.ingest.push;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.ingest.publish.PostSink;

/**
 * The JSON push endpoint: monitoring platforms and crawlers that collect posts themselves deliver them with
 * {@code POST {path}}, one {@code post/1} object or an array of them, authorised by a bearer token. A request is
 * accepted whole (202 {@code {"accepted": n}}) or refused whole with a 4xx {@code {"error": ..., "details": [...]}}
 * that says why, item by item, so the client can fix and resend. Refused input also goes to the sink as a dead
 * letter (source {@value #SOURCE}); refused credentials do not, they are not input.
 *
 * <p>Built on the JDK's {@link HttpServer} rather than a web framework: one POST route with a token check needs no
 * routing, no content negotiation and no dependency injection, and a framework would add a dependency tree for none.
 *
 * <p>The sink is called from one request at a time, and a request's posts are handed on together in their order, so
 * the sink sees posts in the order their requests were accepted and needs not be thread-safe. Requests themselves
 * are served by a small pool, so one slow client holds one thread and not the endpoint.
 */
public final class PushEndpoint implements AutoCloseable {
    static final String SOURCE = "push";
    /** Requests served at once; beyond that they queue. Pushers are a few platforms, not the public. */
    private static final int THREADS = 8;
    /** How long {@link #close()} waits for requests in flight. */
    private static final int GRACE_SECONDS = 2;
    /**
     * How much of an oversized body is read and thrown away after the 413 is sent. Closing a connection with unread
     * input makes TCP reset it, and the reset can destroy the 413 before the client reads it; a client that sends a
     * body somewhat too big should learn why. Beyond this the connection is closed anyway.
     */
    private static final long DISCARD_BYTES = 16L * 1024 * 1024;

    private final PushSettings settings;
    private final PostSink sink;
    private final byte[] tokenDigest;
    private final Object sinkLock = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor;

    private PushEndpoint(PushSettings settings, PostSink sink, HttpServer server, ExecutorService executor) {
        this.settings = settings;
        this.sink = sink;
        this.tokenDigest = sha256(settings.token());
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening (port 0 = a free port). Posts accepted are handed to the sink in request order. */
    public static PushEndpoint start(PushSettings settings, PostSink sink) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "push-endpoint-" + threadNumber.incrementAndGet());
            thread.setDaemon(true); // a forgotten close must not keep the JVM alive
            return thread;
        });
        PushEndpoint endpoint = new PushEndpoint(settings, sink, server, executor);
        // One context for every path, so that a wrong path gets this endpoint's JSON 404 and not the server's page.
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** The port listened on: the one configured, or the one chosen for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, lets requests in flight finish (short grace). */
    @Override
    public void close() {
        // stop(delay) closes the listener at once, then waits for exchanges in flight; but Java 17 waits the whole delay
        // even when there are none (JDK-8304065, fixed in later releases), so an idle endpoint is stopped without one.
        server.stop(inFlight.get() == 0 ? 0 : GRACE_SECONDS);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            Rejection refusal;
            try {
                List<Post> posts = posts(exchange);
                toSink(() -> posts.forEach(sink::publish));
                respond(exchange, 202, new Accepted(posts.size()));
                return;
            } catch (Rejection rejection) {
                refusal = rejection.ofInput ? deadLettered(exchange, rejection) : rejection;
            }
            respond(exchange, refusal.status, new Refusal(refusal.getMessage(), refusal.details));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The request's posts, or why it is refused; checks in the order that costs the client least to learn. */
    private List<Post> posts(HttpExchange exchange) throws Rejection, IOException {
        if (!exchange.getRequestURI().getPath().equals(settings.path())) {
            throw Rejection.ofRequest(404, "no such path: posts are accepted at " + settings.path());
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw Rejection.ofRequest(405, "method " + exchange.getRequestMethod() + " not allowed: use POST");
        }
        authorise(exchange);
        byte[] body = body(exchange);
        checkMediaType(exchange.getRequestHeaders().getFirst("Content-Type"), body);
        return PushedPosts.read(utf8(body), settings.maxBatch());
    }

    private void authorise(HttpExchange exchange) throws Rejection {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String scheme = "bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())
                || authorization.substring(scheme.length()).isBlank()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw Rejection.ofRequest(401, "missing bearer token: send Authorization: Bearer <token>");
        }
        // Digests have the same length whatever was sent, and isEqual compares them in constant time, so the time
        // taken tells an attacker neither how many leading characters were right nor how long the token is.
        if (!MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(scheme.length()).strip()))) {
            throw Rejection.ofRequest(403, "wrong bearer token");
        }
    }

    /** The body, read up to one byte past the limit and no further, so an oversized body never fills memory. */
    private byte[] body(HttpExchange exchange) throws Rejection, IOException {
        int limit = settings.maxBodyBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && Long.parseLong(declared.strip()) > limit) { // the server already rejected a bad number
            throw Rejection.ofInput(413, "body of " + declared.strip() + " bytes is over the limit of " + limit + " bytes", null);
        }
        InputStream in = exchange.getRequestBody(); // without Content-Length, chunked: the limit applies while reading
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw Rejection.ofInput(413, "body is over the limit of " + limit + " bytes", new String(body, UTF_8));
        }
        return body;
    }

    /** JSON in UTF-8 only (RFC 8259); a charset parameter may say so but must not say otherwise. */
    private static void checkMediaType(String contentType, byte[] body) throws Rejection {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            throw Rejection.ofInput(415, "Content-Type " + (contentType == null ? "missing" : contentType)
                    + ": send application/json", new String(body, UTF_8));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2) {
                String charset = parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw Rejection.ofInput(415, "charset " + charset + " not supported: send UTF-8", decode(body, charset));
                }
            }
        }
    }

    /** The body in the charset the client declared, so the dead letter shows what was meant where Java can tell. */
    private static String decode(byte[] body, String charset) {
        try {
            return new String(body, Charset.forName(charset));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return new String(body, UTF_8);
        }
    }

    /** Strict: Java's default decoding would turn bad bytes into U+FFFD silently and publish them. */
    private static String utf8(byte[] body) throws Rejection {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            throw Rejection.ofInput(400, "body is not valid UTF-8 (first bad byte at offset " + in.position() + ")",
                    new String(body, UTF_8));
        }
    }

    /**
     * The rejection, once its input is dead-lettered; or, if the sink fails, a 503 in its place, so that the input is
     * not dropped silently: the client resends, and hears the rejection when the pipeline is back.
     */
    private Rejection deadLettered(HttpExchange exchange, Rejection rejection) {
        // The client's address without its port: the port is ephemeral and tells nobody anything later.
        String from = exchange.getRemoteAddress().getAddress().getHostAddress();
        DeadLetter deadLetter = DeadLetter.of(SOURCE, "POST " + settings.path() + " from " + from,
                rejection.deadLetterReason(), rejection.input, Instant.now());
        try {
            toSink(() -> sink.reject(deadLetter));
            return rejection;
        } catch (Rejection unavailable) {
            return unavailable;
        }
    }

    /**
     * Calls the sink, for one request at a time. A failure there (the broker unreachable, a record refused) is a
     * 503: resending is safe even if part of a batch went through, because a snapshot is keyed by its post id and
     * the same snapshot twice never counts twice downstream.
     */
    private void toSink(Runnable call) throws Rejection {
        synchronized (sinkLock) {
            try {
                call.run();
            } catch (RuntimeException e) {
                throw Rejection.ofRequest(503, "posts could not be handed on, resend later: " + e.getMessage());
            }
        }
    }

    private record Accepted(int accepted) {
    }

    private record Refusal(String error, List<Rejection.ItemError> details) {
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json;
        try {
            json = Json.TOLERANT.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // two plain records always serialise
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (status == 413) {
            exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body is not worth reading
        }
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) { // closing it also closes the request body
            out.write(json);
            if (status == 413) {
                out.flush();
                discard(exchange.getRequestBody());
            }
        }
    }

    /** Reads and drops what is left of a refused body, up to {@link #DISCARD_BYTES}, holding none of it. */
    private static void discard(InputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        long left = DISCARD_BYTES;
        int n;
        while (left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
            left -= n;
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
