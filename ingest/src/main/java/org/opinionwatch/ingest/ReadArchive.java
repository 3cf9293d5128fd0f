package org.opinionwatch.ingest;

import java.time.Duration;
import java.time.Instant;
import org.opinionwatch.ingest.archive.ArchiveContents;
import org.opinionwatch.ingest.archive.ArchiveFormat;

/**
 * An archive read whole ({@link Ingest#readArchive}), to be published.
 *
 * @param took how long reading it took, and {@code at} when it ended: the archive's one fetch in the meters
 */
public record ReadArchive(ArchiveFormat format, ArchiveContents contents, Duration took, Instant at) {
}
