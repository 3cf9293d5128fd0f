package org.opinionwatch.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {
    @Test
    void aTransactionTheBrokerAbortedGetsANewThreadAndAnythingElseShutsTheClientDown() {
        // As Kafka Streams 4.4 reports a commit the broker refused after aborting the transaction itself.
        var aborted = new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, StreamsSettings.response(aborted));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, StreamsSettings.response(
                new StreamsException("Error encountered sending record", new RecordTooLargeException("too large"))));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, StreamsSettings.response(new IllegalStateException("a store")));
    }
}
