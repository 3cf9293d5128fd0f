package org.opinionwatch.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server for an endpoint that takes JSON from outside (ingest's push endpoint, the escalation's actions
 * endpoint), on the JDK's {@link HttpServer} rather than a web framework: a route or two with a token check need no
 * routing, content negotiation or dependency injection, and a framework would add a dependency tree for none.
 *
 * <p>Every path goes to the one handler, so that a wrong path gets the endpoint's own JSON 404 and not the server's
 * page. Requests are served by a small pool, so one slow client holds one thread and not the endpoint. The handler
 * answers with {@link JsonExchange}; the exchange is closed after it.
 */
public final class JsonServer implements AutoCloseable {
    /** How long {@link #close()} waits for requests in flight. */
    private static final int GRACE_SECONDS = 2;

    /** Answers one request. */
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();

    private JsonServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code host:port} (port 0: a free one, see {@link #port()}); requests are answered once
     * {@link #start} has a handler for them.
     *
     * @param threads requests served at once; beyond that they queue
     * @param name the threads' name, numbered
     */
    public static JsonServer bind(String host, int port, int threads, String name) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, name + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true); // a forgotten close must not keep the JVM alive
            return thread;
        });
        server.setExecutor(executor);
        return new JsonServer(server, executor);
    }

    /** Answers every request with {@code handler}, then closes the exchange. */
    public void start(Handler handler) {
        server.createContext("/", exchange -> {
            inFlight.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    /** The port listened on: the one given, or the one chosen for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, lets requests in flight finish (short grace). */
    @Override
    public void close() {
        // stop(delay) closes the listener at once, then waits for exchanges in flight; but Java 17 waits the whole delay
        // even when there are none (JDK-8304065, fixed in later releases), so an idle server is stopped without one.
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
}
