package org.opinionwatch.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;

/** The orders a replay can publish an archive in. */
class PublishOrderTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    private static List<Post> inTimeOrder() {
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String root = "thread-" + (i % 6);
            posts.add(new Post(root + "-" + i, "forum", "http://bbs/" + i, "t", "x", "a", T0, T0.plusSeconds(i),
                    Engagement.ZERO, false, i < 6 ? null : root));
        }
        return posts;
    }

    @Test
    void timeIsTheArchivesOwnOrder() {
        List<Post> posts = inTimeOrder();
        assertSame(posts, PublishOrder.TIME.arrange(posts, 3));
    }

    @Test
    void partitionSendsEachPartitionWholeInEventTimeOneAfterTheOther() {
        List<Post> arranged = PublishOrder.PARTITION.arrange(inTimeOrder(), 3);
        assertEquals(30, arranged.size());
        assertEquals(3, arranged.stream().map(p -> IncidentPartitions.of(p.rootId(), 3)).distinct().count(), "the posts span every partition");
        for (int i = 1; i < arranged.size(); i++) {
            int before = IncidentPartitions.of(arranged.get(i - 1).rootId(), 3);
            int now = IncidentPartitions.of(arranged.get(i).rootId(), 3);
            assertTrue(before < now || before == now && !arranged.get(i).observedAt().isBefore(arranged.get(i - 1).observedAt()),
                    "partition by partition, each in event time, at " + i);
        }
    }
}
