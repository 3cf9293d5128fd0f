package org.opinionwatch.launcher.replay;

import org.opinionwatch.ingest.ArchiveListener;

/** What a replay tells as it goes: the archive being published, then each stage catching up with it. */
public interface ReplayProgress extends ArchiveListener {
    /** Tells nothing (the demo, which prints its own timeline; tests). */
    ReplayProgress SILENT = new ReplayProgress() {
    };

    /** {@code stage} has {@code remaining} records of its input left to process. */
    default void catchingUp(String stage, long remaining) {
    }

    /** The replay's stages are done; what is shown ends here. */
    default void finished() {
    }
}
