package org.opinionwatch.classifier.topology;

import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;

/** A record of posts.raw after parsing: either a post or the reason it was rejected. */
record ParsedPost(Post post, DeadLetter rejected) {
}
