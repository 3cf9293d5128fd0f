package org.opinionwatch.ingest.poll;

import java.time.Duration;

/**
 * A source that ingest polls on a schedule: a forum board or a news feed.
 *
 * @param id the source's id from the config, its tag in metrics and dead letters
 */
record PolledSource(String id, Duration pollEvery, Poll poll) {

    /** What one poll of the source does: fetch, parse, hand every snapshot and unreadable input to the context. */
    interface Poll {
        void run(PollContext context) throws InterruptedException;
    }
}
