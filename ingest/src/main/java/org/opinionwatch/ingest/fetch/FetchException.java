package org.opinionwatch.ingest.fetch;

/**
 * Why a fetch failed, for metrics (reason is a short stable tag) and logs (message is the detail).
 *
 * <p>The reasons: {@code "http-NNN"} for a 4xx status other than 429 (e.g. {@code "http-404"}); {@code "http-3xx"} for
 * a redirect that is not followed (https to http); {@code "http-429"} and {@code "http-5xx"} when retries did not help;
 * {@code "timeout"}; {@code "io"} for a refused or broken connection or a malformed response; {@code "robots"} when robots.txt disallows the URL; {@code "too-large"} for a
 * body over the limit; {@code "bad-uri"} for a URL that is not absolute http or https.
 */
public final class FetchException extends Exception {
    private final String reason;

    public FetchException(String reason, String message) {
        this(reason, message, null);
    }

    public FetchException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short stable tag, fit for a metric label. */
    public String reason() {
        return reason;
    }
}
