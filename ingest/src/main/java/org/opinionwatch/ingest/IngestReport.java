package org.opinionwatch.ingest;

import java.time.Instant;

/**
 * What one ingest run published.
 *
 * @param published posts acknowledged on {@code posts.raw}
 * @param rejected dead letters acknowledged on {@code posts.dlq}
 * @param firstEventTime the earliest post's {@code observedAt}, null if there were no posts
 * @param lastEventTime the latest post's {@code observedAt}, null if there were no posts
 */
public record IngestReport(long published, long rejected, Instant firstEventTime, Instant lastEventTime) {
}
