package org.opinionwatch.broker;

import java.time.Duration;

/**
 * How long a test waits for what a Kafka Streams stage writes in its first transactions. A stage's first batches to
 * a changelog or repartition topic it has only just created can be refused as out of sequence until the producer's
 * delivery timeout (120 s) expires, after which Streams aborts the transaction and processes its records again
 * (KAFKA-15591, a broker bug: docs/architecture.md, "Exactly once"). A wait shorter than that fails
 * tests on a slow machine for no fault of the code.
 */
public final class FirstTransaction {
    /** The producer's delivery timeout, with room for the retried transaction on a loaded machine. */
    public static final Duration WITHIN = Duration.ofSeconds(180);

    private FirstTransaction() {
    }
}
