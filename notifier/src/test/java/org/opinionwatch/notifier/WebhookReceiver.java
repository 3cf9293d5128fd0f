package org.opinionwatch.notifier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 that answers each path as told (404 for others), and records every request it
 * receives with what it answered.
 */
public final class WebhookReceiver implements AutoCloseable {

    /**
     * A request as received.
     *
     * @param answered the status sent, or -1 when the connection was dropped or the answer came after the sender's timeout
     */
    public record Received(String path, String id, String timestamp, String signature, String contentType, byte[] body,
                           int answered, Instant at) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer: a status with a body and maybe a Retry-After, or a hang (then 200), or a dropped connection. */
    public record Answer(int status, String body, String retryAfter, Duration hang, boolean dropped) {
        public static Answer ok() {
            return status(200, "");
        }

        public static Answer status(int status, String body) {
            return new Answer(status, body, null, null, false);
        }

        public static Answer retryAfter(int status, String seconds) {
            return new Answer(status, "", seconds, null, false);
        }

        public static Answer hang(Duration hang) {
            return new Answer(200, "", null, hang, false);
        }

        public static Answer drop() {
            return new Answer(-1, "", null, null, true);
        }
    }

    public interface Behaviour {
        /** @param n this request's number on its path, from 1 */
        Answer answer(String id, byte[] body, int n);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(); // a hanging answer must not block others
    private final Map<String, Behaviour> paths = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public WebhookReceiver on(String path, Behaviour behaviour) {
        paths.put(path, behaviour);
        return this;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            String id = headers.getFirst("X-OpinionWatch-Id");
            Behaviour behaviour = paths.get(path);
            Answer answer = behaviour == null ? Answer.status(404, "")
                    : behaviour.answer(id, body, counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet());
            received.add(new Received(path, id, headers.getFirst("X-OpinionWatch-Timestamp"), headers.getFirst("X-OpinionWatch-Signature"),
                    headers.getFirst("Content-Type"), body, answer.dropped() || answer.hang() != null ? -1 : answer.status(), Instant.now()));
            if (answer.dropped()) {
                return; // closing the exchange before any response closes the connection
            }
            if (answer.hang() != null) {
                try {
                    Thread.sleep(answer.hang().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
            }
            if (answer.status() / 100 == 3) {
                exchange.getResponseHeaders().set("Location", "https://elsewhere.example.edu/hook");
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
