package org.opinionwatch.classifier.topology;

import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Post;

/**
 * A record of posts.raw after parsing: a post, a heartbeat, or the reason it was rejected.
 *
 * @param home whether the post was read on its incident's partition ({@link org.opinionwatch.contract.topic.IncidentPartitions}),
 *     where it is counted at once; any other goes there first
 */
record ParsedPost(Post post, Heartbeat heartbeat, DeadLetter rejected, boolean home) {
}
