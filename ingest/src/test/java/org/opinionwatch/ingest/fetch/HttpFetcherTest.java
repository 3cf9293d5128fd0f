package org.opinionwatch.ingest.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opinionwatch.ingest.fetch.LoopbackServer.respond;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.ingest.fetch.FetchResult.Fetched;
import org.opinionwatch.ingest.fetch.FetchResult.NotModified;

class HttpFetcherTest {
    private static final String USER_AGENT = "OpinionWatch/test (+https://github.com/opinion-watch)";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private LoopbackServer server() throws IOException {
        LoopbackServer server = new LoopbackServer();
        toClose.add(server);
        return server;
    }

    private HttpFetcher fetcher(FetchSettings settings) {
        HttpFetcher fetcher = new HttpFetcher(settings);
        toClose.add(fetcher);
        return fetcher;
    }

    /** Short timeouts and backoffs so that every test is over in about a second at most. */
    private static FetchSettings settings(Duration requestTimeout, int maxAttempts, Duration initialBackoff,
                                          Duration perHostInterval, boolean obeyRobots, long maxBodyBytes) {
        return new FetchSettings(USER_AGENT, ms(500), requestTimeout, maxAttempts, initialBackoff, perHostInterval,
                obeyRobots, maxBodyBytes);
    }

    private static FetchSettings quick() {
        return settings(ms(500), 3, ms(50), Duration.ZERO, true, 1 << 20);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static String text(FetchResult result) {
        return new String(assertInstanceOf(Fetched.class, result).body(), StandardCharsets.UTF_8);
    }

    // --- conditional requests ---

    @Test
    void secondFetchIsConditionalOnTheEtag() throws Exception {
        LoopbackServer server = server().on("/thread", exchange -> {
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            exchange.getResponseHeaders().set("ETag", "\"v1\"");
            respond(exchange, 200, "views 10");
        });
        HttpFetcher fetcher = fetcher(quick());

        assertEquals("views 10", text(fetcher.fetch(server.uri("/thread"))));
        assertInstanceOf(NotModified.class, fetcher.fetch(server.uri("/thread")));

        List<LoopbackServer.Request> requests = server.requests("/thread");
        assertNull(requests.get(0).headers().getFirst("If-None-Match"), "a URL never fetched is asked for unconditionally");
        assertEquals("\"v1\"", requests.get(1).headers().getFirst("If-None-Match"));
    }

    @Test
    void secondFetchIsConditionalOnLastModified() throws Exception {
        String lastModified = "Wed, 21 Oct 2025 07:28:00 GMT";
        LoopbackServer server = server().on("/feed.xml", exchange -> {
            if (lastModified.equals(exchange.getRequestHeaders().getFirst("If-Modified-Since"))) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            exchange.getResponseHeaders().set("Last-Modified", lastModified);
            respond(exchange, 200, "<rss/>");
        });
        HttpFetcher fetcher = fetcher(quick());

        assertEquals("<rss/>", text(fetcher.fetch(server.uri("/feed.xml"))));
        NotModified second = assertInstanceOf(NotModified.class, fetcher.fetch(server.uri("/feed.xml")));

        assertEquals(server.uri("/feed.xml"), second.uri());
        assertNull(server.requests("/feed.xml").get(0).headers().getFirst("If-Modified-Since"));
    }

    // --- retries ---

    @Test
    void retriesAfter429And503ThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoopbackServer server = server().on("/list", exchange -> {
            switch (calls.incrementAndGet()) {
                case 1 -> respond(exchange, 429, "slow down");
                case 2 -> respond(exchange, 503, "busy");
                default -> respond(exchange, 200, "threads");
            }
        });

        Fetched page = assertInstanceOf(Fetched.class, fetcher(quick()).fetch(server.uri("/list")));

        assertEquals(200, page.status());
        assertEquals(3, server.requests("/list").size());
    }

    @Test
    void persistent5xxFailsAfterMaxAttemptsWithGrowingBackoff() throws Exception {
        LoopbackServer server = server().on("/list", exchange -> respond(exchange, 500, "broken"));
        HttpFetcher fetcher = fetcher(settings(ms(500), 3, ms(100), Duration.ZERO, true, 1 << 20));

        FetchException failure = assertThrows(FetchException.class, () -> fetcher.fetch(server.uri("/list")));

        assertEquals("http-5xx", failure.reason());
        assertTrue(failure.getMessage().contains("HTTP 500 (attempt 3 of 3)"), failure.getMessage());
        List<LoopbackServer.Request> attempts = server.requests("/list");
        assertEquals(3, attempts.size());
        long firstGap = attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos();
        long secondGap = attempts.get(2).arrivedNanos() - attempts.get(1).arrivedNanos();
        assertTrue(firstGap >= ms(100).toNanos(), "first backoff " + firstGap / 1_000_000 + " ms");
        assertTrue(secondGap >= ms(200).toNanos(), "second backoff " + secondGap / 1_000_000 + " ms");
        assertTrue(secondGap > firstGap);
    }

    @Test
    void notFoundFailsAtOnce() throws Exception {
        LoopbackServer server = server();

        FetchException failure = assertThrows(FetchException.class, () -> fetcher(quick()).fetch(server.uri("/gone")));

        assertEquals("http-404", failure.reason());
        assertEquals(1, server.requests("/gone").size());
    }

    // --- timeouts and politeness ---

    @Test
    void slowHostTimesOutWhileAnotherHostIsServed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        toClose.add(release::countDown); // lets the slow handler finish before its server stops
        LoopbackServer slow = server().on("/thread", exchange -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "too late");
        });
        LoopbackServer fast = server().on("/thread", exchange -> respond(exchange, 200, "fast"));
        // The interval is longer than the timeout: were politeness global, the fast host would wait for it.
        HttpFetcher fetcher = fetcher(settings(ms(200), 2, ms(50), ms(800), false, 1 << 20));
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        toClose.add(otherThread::shutdownNow);

        long started = System.nanoTime();
        Future<FetchException> slowFetch = otherThread.submit(
                () -> assertThrows(FetchException.class, () -> fetcher.fetch(slow.uri("/thread"))));
        for (int i = 0; i < 200 && slow.requests().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertFalse(slow.requests().isEmpty(), "the slow host got its request");

        long fastStarted = System.nanoTime();
        assertEquals("fast", text(fetcher.fetch(fast.uri("/thread"))));
        long fastTook = System.nanoTime() - fastStarted;
        assertTrue(fastTook < ms(400).toNanos(), "the fast host took " + fastTook / 1_000_000 + " ms");
        assertFalse(slowFetch.isDone(), "the fast host was served while the slow host was still awaited");

        FetchException failure = slowFetch.get(5, TimeUnit.SECONDS);
        long slowTook = System.nanoTime() - started;
        assertEquals("timeout", failure.reason());
        assertEquals(2, slow.requests("/thread").size(), "a timeout is retried");
        // two attempts of 200 ms, the second at the next turn 800 ms after the first
        assertTrue(slowTook < Duration.ofSeconds(3).toNanos(), "the slow host took " + slowTook / 1_000_000 + " ms");
    }

    @Test
    void requestsToOneHostAreSpacedByTheInterval() throws Exception {
        Duration interval = ms(200);
        LoopbackServer server = server();
        for (String path : List.of("/warm", "/t1", "/t2", "/t3", "/t4")) {
            server.on(path, exchange -> respond(exchange, 200, path));
        }
        HttpFetcher fetcher = fetcher(settings(ms(500), 1, ms(50), interval, true, 1 << 20));
        // The first request of the JVM loads the HTTP client's classes after its turn began, which would shorten
        // the gap to the next one at the server: measure from a warm client.
        fetcher.fetch(server.uri("/warm"));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        toClose.add(threads::shutdownNow);

        List<Future<FetchResult>> fetches = new ArrayList<>();
        for (String path : List.of("/t1", "/t2", "/t3", "/t4")) {
            fetches.add(threads.submit(() -> fetcher.fetch(server.uri(path))));
        }
        for (Future<FetchResult> fetch : fetches) {
            assertInstanceOf(Fetched.class, fetch.get(3, TimeUnit.SECONDS));
        }

        List<Long> arrivals = server.requests().stream()
                .filter(r -> !r.path().equals("/robots.txt"))
                .map(LoopbackServer.Request::arrivedNanos).sorted(Comparator.naturalOrder()).toList();
        assertEquals(5, arrivals.size());
        // Turns start exactly an interval apart; arrival adds the client's sending time: a few ms, but tens of ms on a
        // loaded 2-core machine, and a late arrival shortens the next gap by as much. So each gap may fall short by
        // that jitter, while the span of all of them must hold the intervals nearly whole.
        for (int i = 1; i < arrivals.size(); i++) {
            long gap = arrivals.get(i) - arrivals.get(i - 1);
            assertTrue(gap >= interval.minusMillis(60).toNanos(), "gap " + i + " was " + gap / 1_000_000 + " ms");
        }
        long span = arrivals.get(arrivals.size() - 1) - arrivals.get(0);
        assertTrue(span >= interval.multipliedBy(arrivals.size() - 1).minusMillis(60).toNanos(), "span was " + span / 1_000_000 + " ms");
    }

    // --- robots.txt ---

    @Test
    void robotsTxtIsObeyedWithLongestMatchAndFetchedOnce() throws Exception {
        LoopbackServer server = server().on("/robots.txt", exchange -> respond(exchange, 200, """
                User-agent: *
                Disallow: /

                User-agent: OpinionWatch
                Disallow: /forum/
                Allow: /forum/public/
                """));
        for (String path : List.of("/forum/secret", "/forum/public/thread-1.html", "/news")) {
            server.on(path, exchange -> respond(exchange, 200, path));
        }
        HttpFetcher fetcher = fetcher(quick());

        FetchException blocked = assertThrows(FetchException.class, () -> fetcher.fetch(server.uri("/forum/secret")));
        assertEquals("robots", blocked.reason());
        assertEquals("/forum/public/thread-1.html", text(fetcher.fetch(server.uri("/forum/public/thread-1.html"))));
        assertEquals("/news", text(fetcher.fetch(server.uri("/news"))));

        assertTrue(server.requests("/forum/secret").isEmpty(), "a disallowed URL is never requested");
        List<LoopbackServer.Request> robots = server.requests("/robots.txt");
        assertEquals(1, robots.size());
        assertEquals(USER_AGENT, robots.get(0).headers().getFirst("User-Agent"));
    }

    @Test
    void missingOrFailingRobotsTxtAllowsEverything() throws Exception {
        LoopbackServer missing = server().on("/page", exchange -> respond(exchange, 200, "ok"));
        LoopbackServer failing = server()
                .on("/robots.txt", exchange -> respond(exchange, 503, "down"))
                .on("/page", exchange -> respond(exchange, 200, "ok"));
        HttpFetcher fetcher = fetcher(quick());

        assertEquals("ok", text(fetcher.fetch(missing.uri("/page"))));
        assertEquals("ok", text(fetcher.fetch(failing.uri("/page"))));
        assertEquals(1, missing.requests("/robots.txt").size());
        assertEquals(1, failing.requests("/robots.txt").size(), "robots.txt is asked for once, without retries");
    }

    @Test
    void robotsTxtIsNotAskedForWhenNotObeyed() throws Exception {
        LoopbackServer server = server().on("/page", exchange -> respond(exchange, 200, "ok"));

        fetcher(settings(ms(500), 1, ms(50), Duration.ZERO, false, 1 << 20)).fetch(server.uri("/page"));

        assertTrue(server.requests("/robots.txt").isEmpty());
    }

    // --- bodies and URLs ---

    @Test
    void bodyOverTheLimitFailsWithoutBeingReadToTheEnd() throws Exception {
        int limit = 1024;
        int chunk = 64 * 1024;
        int chunks = 1024; // 64 MiB: far more than socket buffers hold, so the server notices when the client stops
        CountDownLatch streamed = new CountDownLatch(1);
        AtomicBoolean cutOff = new AtomicBoolean();
        LoopbackServer server = server()
                .on("/exact", exchange -> {
                    exchange.sendResponseHeaders(200, limit);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(new byte[limit]);
                    }
                })
                .on("/declared", exchange -> {
                    exchange.sendResponseHeaders(200, limit + 1);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(new byte[limit + 1]);
                    }
                })
                .on("/streamed", exchange -> {
                    exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to go by
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < chunks; i++) {
                            out.write(new byte[chunk]);
                        }
                    } catch (IOException e) {
                        cutOff.set(true);
                    } finally {
                        streamed.countDown();
                    }
                });
        HttpFetcher fetcher = fetcher(settings(ms(2000), 3, ms(50), Duration.ZERO, true, limit));

        assertArrayEquals(new byte[limit], assertInstanceOf(Fetched.class, fetcher.fetch(server.uri("/exact"))).body());
        FetchException declared = assertThrows(FetchException.class, () -> fetcher.fetch(server.uri("/declared")));
        assertEquals("too-large", declared.reason());
        FetchException streamedFailure = assertThrows(FetchException.class, () -> fetcher.fetch(server.uri("/streamed")));
        assertEquals("too-large", streamedFailure.reason());

        assertEquals(1, server.requests("/streamed").size(), "too-large is not retried");
        assertTrue(streamed.await(5, TimeUnit.SECONDS));
        assertTrue(cutOff.get(), "the client closed the connection instead of reading 64 MiB");
    }

    @Test
    void redirectsAreFollowedAndTheFinalUrlReported() throws Exception {
        LoopbackServer server = server()
                .on("/old", exchange -> {
                    exchange.getResponseHeaders().set("Location", "/new");
                    exchange.sendResponseHeaders(301, -1);
                })
                .on("/new", exchange -> respond(exchange, 200, "moved here"));

        FetchResult result = fetcher(quick()).fetch(server.uri("/old"));

        assertEquals("moved here", text(result));
        assertEquals(server.uri("/new"), result.uri());
    }

    @Test
    void urlsOtherThanAbsoluteHttpAreRejected() {
        HttpFetcher fetcher = fetcher(quick());
        for (String uri : List.of("ftp://example.edu/file", "/relative/path", "mailto:office@example.edu")) {
            FetchException failure = assertThrows(FetchException.class, () -> fetcher.fetch(URI.create(uri)));
            assertEquals("bad-uri", failure.reason(), uri);
        }
    }
}
