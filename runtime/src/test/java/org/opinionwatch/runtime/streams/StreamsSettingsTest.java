package org.opinionwatch.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T22:00:00Z");

    // As Kafka Streams 4.4 reports a commit the broker refused, after aborting the transaction itself or while recovering.
    private static StreamsException commitFailed(Throwable cause) {
        return new StreamsException("Error encountered trying to commit a transaction [stream-thread [t-1] ]", cause);
    }

    private static final StreamsException ABORTED = commitFailed(
            new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
    private static final StreamsException RECOVERING = commitFailed(new KafkaException(
            "Unhandled error in EndTxnResponse: The server experienced an unexpected error when processing the request."));

    private static StreamsSettings.CommitFailures at(Instant instant) {
        return new StreamsSettings.CommitFailures(() -> instant);
    }

    @Test
    void aTransactionTheBrokerFailedGetsANewThreadAndAnythingElseShutsTheClientDown() {
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, at(T0).response(ABORTED));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, at(T0).response(RECOVERING));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, at(T0).response(commitFailed(
                new TransactionalIdAuthorizationException("Transactional Id authorization failed."))));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, at(T0).response(
                new StreamsException("Error encountered sending record", new RecordTooLargeException("too large"))));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, at(T0).response(new IllegalStateException("a store")));
    }

    @Test
    void aBrokerThatKeepsFailingCommitsShutsTheClientDownAtTheFourthWithinTenMinutes() {
        Instant[] now = {T0};
        var failures = new StreamsSettings.CommitFailures(() -> now[0]);
        for (int i = 0; i < StreamsSettings.CommitFailures.REPLACEMENTS; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.response(RECOVERING), "replacement " + (i + 1));
            now[0] = now[0].plus(Duration.ofMinutes(1));
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.response(RECOVERING));
        // Ten minutes after the first, one replacement is free again.
        now[0] = T0.plus(StreamsSettings.CommitFailures.WINDOW).plusSeconds(1);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.response(ABORTED));
    }
}
