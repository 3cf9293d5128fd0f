package org.opinionwatch.notifier.webhook;

import java.time.Duration;

/**
 * One POST to a webhook and what came of it.
 *
 * @param status the HTTP status, or null when no response came
 * @param result a short stable tag for meters: {@code delivered}, {@code refused}, {@code http-5xx}, {@code http-429},
 *     {@code http-408}, {@code http-3xx}, {@code timeout}, {@code connect} or {@code io}
 * @param reason for a person: the status and the start of the response body, or how the request failed; null when
 *     delivered
 * @param retryAfter what the server's {@code Retry-After} asked for, or null
 */
public record Attempt(Kind kind, Integer status, String result, String reason, Duration retryAfter, Duration latency) {
    /** The {@code result} of an attempt that the webhook took. */
    public static final String DELIVERED_RESULT = "delivered";

    public enum Kind {
        /** 2xx: the webhook has it. */
        DELIVERED,
        /** 4xx other than 408 and 429: the webhook will not take it, however often it is sent. */
        REFUSED,
        /** Anything else (5xx, 408, 429, a redirect, a timeout, a connection error): worth another attempt. */
        FAILED
    }
}
