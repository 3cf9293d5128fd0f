package org.opinionwatch.ingest.archive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;

/**
 * Everything read from an archive.
 *
 * @param posts the post snapshots in event-time order ({@code observedAt}); a replay publishes them in this order
 *              across all incidents. Ties keep the reading order, so the snapshots of one post stay in sequence.
 * @param rejected what could not be used, in reading order
 */
public record ArchiveContents(List<Post> posts, List<DeadLetter> rejected) {
    public ArchiveContents {
        List<Post> sorted = new ArrayList<>(posts);
        sorted.sort(Comparator.comparing(Post::observedAt)); // List.sort is stable
        posts = List.copyOf(sorted);
        rejected = List.copyOf(rejected);
    }
}
