package org.opinionwatch.ingest.archive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.opinionwatch.contract.event.DeadLetter;

/** Builds dead letters with the rejected input capped, so that one absurd record cannot make an absurd message. */
final class DeadLetters {
    static final int MAX_INPUT_BYTES = 64 * 1024;

    private DeadLetters() {
    }

    /** A dead letter rejected now; an input over 64 KiB (UTF-8) is cut there and the reason says so. */
    static DeadLetter of(String source, String location, String reason, String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_INPUT_BYTES) {
            int end = MAX_INPUT_BYTES;
            while ((bytes[end] & 0xC0) == 0x80) { // never cut a multi-byte character in two
                end--;
            }
            input = new String(bytes, 0, end, StandardCharsets.UTF_8);
            reason = reason + " (input truncated to its first 64 KiB)";
        }
        return new DeadLetter(source, location, reason, input, Instant.now());
    }
}
