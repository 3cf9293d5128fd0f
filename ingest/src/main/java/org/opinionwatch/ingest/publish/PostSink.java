package org.opinionwatch.ingest.publish;

import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;

/** Where a source delivers what it read: posts, and input it could not use with the reason. */
public interface PostSink {
    void publish(Post post);

    void reject(DeadLetter deadLetter);
}
