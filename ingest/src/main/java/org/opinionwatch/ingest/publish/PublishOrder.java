package org.opinionwatch.ingest.publish;

import java.util.Comparator;
import java.util.List;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;

/** The order in which an archive's posts are published to posts.raw. */
public enum PublishOrder {
    /** In event time, as the archive's clock ran. */
    TIME,
    /**
     * Each posts.raw partition's posts whole, in event time, one partition after the other: the worst skew a backlog
     * after downtime can have, for checking that the classifier's outputs do not depend on how partitions arrive.
     */
    PARTITION;

    /**
     * @param inTimeOrder the archive's posts, in event time
     * @param partitions the partitions of posts.raw: a post goes to its incident's ({@link IncidentPartitions})
     */
    public List<Post> arrange(List<Post> inTimeOrder, int partitions) {
        if (this == TIME) {
            return inTimeOrder;
        }
        // A stable sort: within a partition the posts keep their event-time order.
        return inTimeOrder.stream().sorted(Comparator.comparingInt(p -> IncidentPartitions.of(p.rootId(), partitions))).toList();
    }
}
