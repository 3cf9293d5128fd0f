package org.opinionwatch.ingest;

import java.util.List;
import org.opinionwatch.contract.event.Post;

/** Told what is published of an archive as it goes: a replay paces itself there and shows its progress. */
public interface ArchiveListener {
    /** Publishes at once and says nothing. */
    ArchiveListener NONE = new ArchiveListener() {
    };

    /** The archive is read: these snapshots, in event-time order, are about to be published. */
    default void read(List<Post> posts) {
    }

    /** Just before {@code post} is sent; may block until it is the post's turn. */
    default void sending(Post post) {
    }
}
