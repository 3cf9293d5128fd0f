package org.opinionwatch.ingest.fetch;

import java.net.URI;
import java.time.Duration;

/** What a successful fetch gives: the page, or the news that it has not changed since this fetcher last got it. */
public sealed interface FetchResult {

    /** The page's URL: as requested, except that a {@link Fetched} page has the URL it came from after redirects. */
    URI uri();

    /** How long the successful attempt took, from sending the request to the last byte of the body. */
    Duration latency();

    /**
     * A page with a 2xx status.
     *
     * @param uri         the URL the body came from, after redirects: relative links in the page resolve against it
     * @param body        the body as received, not copied
     * @param contentType the {@code Content-Type} header, or null; it may name the charset
     */
    record Fetched(URI uri, int status, byte[] body, String contentType, Duration latency) implements FetchResult {
    }

    /** The server answered 304 to a conditional request: the page is as it was when last fetched. */
    record NotModified(URI uri, Duration latency) implements FetchResult {
    }
}
