package org.opinionwatch.contract.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Input that was rejected ({@code posts.dlq}, key: source id; {@code classifier.dlq} and {@code escalation.dlq}, key:
 * the input record's key): the input untouched, where it came from and why.
 *
 * @param source where the input came from: a source id, {@code posts.raw}, or the Streams stage that gave it up
 *     ({@code classifier}, {@code escalation})
 * @param location where in the source the input was found (file and line, URL, request, {@code topic-partition@offset})
 * @param input the rejected input as it was read, decoded as UTF-8 (or as the source's declared charset); cut at
 *     {@link #MAX_INPUT_BYTES} when {@link #of} built it, and the reason then says so
 * @param rejectedAt wall-clock time of the rejection
 */
public record DeadLetter(String source, String location, String reason, String input, Instant rejectedAt) {
    public static final String SCHEMA = "dead-letter/1";
    /** So that one absurd record cannot make an absurd dead letter. */
    public static final int MAX_INPUT_BYTES = 64 * 1024;

    /** A dead letter with its input capped at 64 KiB of UTF-8, never cutting a character in two. */
    public static DeadLetter of(String source, String location, String reason, String input, Instant rejectedAt) {
        if (input != null) {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_INPUT_BYTES) {
                int end = MAX_INPUT_BYTES;
                while ((bytes[end] & 0xC0) == 0x80) {
                    end--;
                }
                input = new String(bytes, 0, end, StandardCharsets.UTF_8);
                reason = reason + " (input truncated to its first 64 KiB)";
            }
        }
        return new DeadLetter(source, location, reason, input, rejectedAt);
    }
}
