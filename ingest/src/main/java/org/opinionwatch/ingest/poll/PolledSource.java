package org.opinionwatch.ingest.poll;

import java.time.Duration;

/** A source that ingest polls on a schedule: a forum board or a news feed. */
interface PolledSource {
    String id();

    Duration pollEvery();

    /** One poll: fetch, parse, hand every snapshot and every unreadable input to the context. */
    void poll(PollContext context) throws InterruptedException;
}
