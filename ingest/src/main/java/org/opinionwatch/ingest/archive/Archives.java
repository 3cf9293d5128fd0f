package org.opinionwatch.ingest.archive;

import java.io.IOException;
import java.nio.file.Path;
import org.opinionwatch.ingest.publish.PostBounds;

/** The one entry point for reading archives. */
public final class Archives {
    private Archives() {
    }

    /**
     * Reads a whole archive. Unusable records, and posts out of {@code bounds}, become dead letters and reading goes
     * on; only an archive that cannot be read at all (missing, unreadable, not of the given layout) throws.
     *
     * @param input a {@code .jsonl} file or a directory of them for {@link ArchiveFormat#JSONL}; the dataset
     *              directory (the one holding {@code original-microblog/}) for {@link ArchiveFormat#WEIBO_CED}
     */
    public static ArchiveContents read(ArchiveFormat format, Path input, PostBounds bounds) throws IOException {
        return switch (format) {
            case JSONL -> JsonLinesArchive.read(input, bounds);
            case WEIBO_CED -> WeiboCedArchive.read(input, bounds);
        };
    }
}
