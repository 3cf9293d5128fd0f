package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * Input that was rejected ({@code posts.dlq}, key: source id): the input untouched, where it came from and why.
 *
 * @param location where in the source the input was found (file and line, URL, request)
 * @param input the rejected input as it was read, decoded as UTF-8 (or as the source's declared charset)
 * @param rejectedAt wall-clock time of the rejection
 */
public record DeadLetter(String source, String location, String reason, String input, Instant rejectedAt) {
    public static final String SCHEMA = "dead-letter/1";
}
