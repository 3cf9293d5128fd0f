package org.opinionwatch.ingest.fetch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.opinionwatch.ingest.fetch.FetchResult.Fetched;
import org.opinionwatch.ingest.fetch.FetchResult.NotModified;

/**
 * The polite HTTP fetcher of the forum and feed pollers. Thread-safe: one fetcher serves all sources, so that
 * politeness toward a site holds however many sources poll it.
 *
 * <p>A site is a scheme, host and port, the scope of a robots.txt (RFC 9309 2.3); politeness is kept per site too.
 * Redirects are followed by the HTTP client itself, so the target of a redirect is neither spaced nor checked
 * against its own robots.txt.
 */
public final class HttpFetcher implements AutoCloseable {
    /** RFC 9309 2.4: a cached robots.txt should not be used for more than 24 hours. */
    private static final long ROBOTS_MAX_AGE_NANOS = Duration.ofHours(24).toNanos();
    /** RFC 9309 2.5: at least 500 KiB of a robots.txt must be parsed; a crawler may ignore the rest. */
    private static final long ROBOTS_MAX_BYTES = 500 * 1024;
    /** Validators are remembered for this many URLs, the most recently fetched: enough for every thread the pollers
     *  re-observe, while a fetcher running for months does not grow without end. */
    private static final int MAX_VALIDATORS = 50_000;
    private static final Set<String> RETRYABLE = Set.of("timeout", "io", "http-429", "http-5xx");
    private static final String ACCEPT =
            "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8";

    private final FetchSettings settings;
    private final String productToken;
    private final ExecutorService executor;
    private final HttpClient client;
    private final Map<String, Site> sites = new ConcurrentHashMap<>();
    private final Map<URI, Validators> validators = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, Validators> eldest) {
            return size() > MAX_VALIDATORS;
        }
    });
    private volatile boolean closed;

    /** What a server said identifies the version of a page it sent, to ask next time whether it changed. */
    private record Validators(String etag, String lastModified) {
    }

    public HttpFetcher(FetchSettings settings) {
        this.settings = settings;
        this.productToken = RobotsRules.tokenOf(settings.userAgent());
        // An executor of our own, so that close() ends the client's threads (Java 17's HttpClient has no close).
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "opinionwatch-fetch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                // HTTP/1.1: on plain http the client would otherwise send an h2c upgrade, which old forum servers and
                // proxies mishandle; at one request a second per site, HTTP/2's multiplexing gains nothing.
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
    }

    /**
     * Fetches a URL: a conditional request when this fetcher has seen the URL before (If-None-Match with its ETag,
     * If-Modified-Since with its Last-Modified), per-host politeness (at most one request to a host per
     * perHostInterval, waiting only for that host — other hosts proceed in parallel from other threads), robots.txt
     * of the host fetched once and cached (a disallowed path fails with reason "robots"; a robots.txt that is missing
     * (404) or unreachable allows everything), retries with exponential backoff for timeouts, I/O errors, 429 and 5xx
     * (up to maxAttempts), no retry for other 4xx; redirects followed (normal); a body over maxBodyBytes fails with
     * "too-large" without reading it all. Thread-safe.
     *
     * @throws FetchException       with a reason tag as listed in {@link FetchException}
     * @throws InterruptedException if the thread is interrupted while waiting for its turn, a backoff or a response
     */
    public FetchResult fetch(URI uri) throws FetchException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("the fetcher is closed");
        }
        Site site = siteOf(uri);
        if (settings.obeyRobots() && !site.robots().allows(pathAndQuery(uri))) {
            throw new FetchException("robots", uri + " is disallowed by " + site.robotsTxt);
        }
        Validators known = validators.get(uri);
        HttpRequest request = request(uri, known);
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(request, known, site, attempt);
            } catch (FetchException e) {
                if (attempt == settings.maxAttempts() || !RETRYABLE.contains(e.reason())) {
                    throw e;
                }
            }
            // Doubling the wait gives a struggling server room to recover; the shift is capped against overflow.
            NANOSECONDS.sleep(settings.initialBackoff().toNanos() << Math.min(attempt - 1, 20));
        }
    }

    /** Stops the client's threads: fetches still running fail, later ones throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    private FetchResult attempt(HttpRequest request, Validators known, Site site, int attempt)
            throws FetchException, InterruptedException {
        site.awaitTurn();
        long started = System.nanoTime();
        HttpResponse<byte[]> response = exchange(request, LimitedBody.failingOver(settings.maxBodyBytes()));
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        int status = response.statusCode();
        if (status == 304 && known != null) {
            return new NotModified(request.uri(), latency);
        }
        if (status >= 200 && status < 300) {
            remember(request.uri(), response);
            return new Fetched(response.uri(), status, response.body(), response.headers().firstValue("Content-Type").orElse(null), latency);
        }
        String reason = status >= 500 ? "http-5xx" : status >= 300 && status < 400 ? "http-3xx" : "http-" + status;
        throw new FetchException(reason, String.format("%s: HTTP %d (attempt %d of %d)",
                request.uri(), status, attempt, settings.maxAttempts()));
    }

    /** Sends a request and waits for the whole response, within the request timeout. */
    private HttpResponse<byte[]> exchange(HttpRequest request, HttpResponse.BodyHandler<byte[]> body)
            throws FetchException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request, body);
        try {
            // The request's own timeout ends when the headers arrive; this wait bounds the body as well, so that a
            // server trickling bytes cannot hold a poller.
            return response.get(settings.requestTimeout().toNanos(), NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new FetchException("timeout", request.uri() + ": no complete response within " + settings.requestTimeout(), e);
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(request.uri(), e.getCause());
        }
    }

    private static FetchException failure(URI uri, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof LimitedBody.TooLargeException) {
                return new FetchException("too-large", uri + ": " + cause.getMessage(), cause);
            }
            if (cause instanceof HttpTimeoutException) {
                return new FetchException("timeout", uri + ": " + cause.getMessage(), cause);
            }
        }
        // Anything else the client reports (refused, reset, a malformed response or redirect) is the site's trouble,
        // which a poller counts and survives; the cause is kept for the log.
        return new FetchException("io", uri + ": " + error, error);
    }

    private HttpRequest request(URI uri, Validators known) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("User-Agent", settings.userAgent())
                .header("Accept", ACCEPT);
        if (known != null && known.etag() != null) {
            request.header("If-None-Match", known.etag());
        }
        if (known != null && known.lastModified() != null) {
            request.header("If-Modified-Since", known.lastModified());
        }
        return request.build();
    }

    private void remember(URI uri, HttpResponse<?> response) {
        String etag = response.headers().firstValue("ETag").orElse(null);
        String lastModified = response.headers().firstValue("Last-Modified").orElse(null);
        if (etag == null && lastModified == null) {
            validators.remove(uri); // the page no longer offers validators; asking with stale ones would be wrong
        } else {
            validators.put(uri, new Validators(etag, lastModified));
        }
    }

    private Site siteOf(URI uri) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new FetchException("bad-uri", uri + " is not an absolute http or https URL");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String key = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        return sites.computeIfAbsent(key, k -> new Site(uri.resolve("/robots.txt")));
    }

    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** What the fetcher keeps per site: when its next request may start, and its robots.txt. */
    private final class Site {
        final URI robotsTxt;
        private long nextTurn = System.nanoTime(); // guarded by this
        private final Object robotsLock = new Object();
        private RobotsRules robots; // guarded by robotsLock
        private long robotsFetchedAt; // guarded by robotsLock

        Site(URI robotsTxt) {
            this.robotsTxt = robotsTxt;
        }

        /** Waits until this site may get a request. Each caller reserves its own slot, one interval after the last,
         *  and sleeps without holding the lock, so callers are served in order and other sites are never held up. */
        void awaitTurn() throws InterruptedException {
            long now = System.nanoTime();
            long turn;
            synchronized (this) {
                turn = nextTurn - now > 0 ? nextTurn : now;
                nextTurn = turn + settings.perHostInterval().toNanos();
            }
            NANOSECONDS.sleep(turn - now);
        }

        /** The site's rules, fetched on first use and again when a day old. Fetches to the site wait meanwhile:
         *  until the rules are known, no path of it may be fetched. */
        RobotsRules robots() throws InterruptedException {
            synchronized (robotsLock) {
                if (robots == null || System.nanoTime() - robotsFetchedAt > ROBOTS_MAX_AGE_NANOS) {
                    robots = fetchRobots();
                    robotsFetchedAt = System.nanoTime();
                }
                return robots;
            }
        }

        /** One attempt, no retries: a robots.txt that is missing or unreachable allows everything, so a site with a
         *  failing robots.txt is still watched (RFC 9309 would treat 5xx and unreachable as disallowing all). */
        private RobotsRules fetchRobots() throws InterruptedException {
            awaitTurn();
            try {
                HttpResponse<byte[]> response = exchange(request(robotsTxt, null), LimitedBody.truncatedAt(ROBOTS_MAX_BYTES));
                if (response.statusCode() < 200 || response.statusCode() >= 300) {
                    return RobotsRules.ALLOW_ALL;
                }
                return RobotsRules.parse(new String(response.body(), StandardCharsets.UTF_8), productToken);
            } catch (FetchException e) {
                return RobotsRules.ALLOW_ALL;
            }
        }
    }
}
