package org.opinionwatch.classifier.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.contract.event.Post;

/**
 * An increment as {@link StoryRouter} sends it: to its incident in this task, or away through the handover topic
 * (to the task of the incident its story joined, or, for a promise, to every task).
 *
 * @param awaitingWord sent home while its story awaits the grouper's word: should the story join another incident,
 *     the incident processor hands it over there ({@link org.opinionwatch.classifier.watermark.OrderedBuffer.Held})
 */
record Routed(Increment increment, boolean away, boolean awaitingWord) {
    static Routed home(Increment increment) {
        return new Routed(increment, false, false);
    }

    static Routed awaitingWord(Increment increment) {
        return new Routed(increment, false, true);
    }

    static Routed away(Increment increment) {
        return new Routed(increment, true, false);
    }

    /** The wall-clock time ingest took the post in, from its record's headers; 0 when unknown. */
    static long intakeMillis(Headers headers) {
        Header intake = headers.lastHeader(Post.INTAKE_HEADER);
        if (intake == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(intake.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0; // not ours to judge: the post itself was valid; only its latency goes unmeasured
        }
    }

    /** Headers that carry an intake time again, for an increment that waited (0: none). */
    static Headers intake(long millis) {
        RecordHeaders headers = new RecordHeaders();
        if (millis > 0) {
            headers.add(Post.INTAKE_HEADER, Long.toString(millis).getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }
}
