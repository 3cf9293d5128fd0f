package org.opinionwatch.ingest.publish;

import java.time.Duration;
import java.util.List;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;

/**
 * Where a source delivers what it read: posts, and input it could not use with the reason. {@link #publish} and
 * {@link #reject} may wait for room (a polled source or an archive can wait); {@link #offer} and {@link #tryReject}
 * never wait (a pushing client is answered at once). A sink that never waits may keep their defaults.
 */
public interface PostSink {
    void publish(Post post);

    void reject(DeadLetter deadLetter);

    /**
     * Takes every post of a batch for delivery, in order, or none of them.
     *
     * @throws Unavailable when none was taken and the same batch may be taken later
     */
    default void offer(List<Post> posts) throws Unavailable {
        posts.forEach(this::publish);
    }

    /** Takes rejected input for delivery if there is room now; false if there is not. */
    default boolean tryReject(DeadLetter deadLetter) {
        reject(deadLetter);
        return true;
    }

    /** Nothing was taken, for now: the broker is away or busy, and what was offered may be offered again later. */
    final class Unavailable extends Exception {
        private final Duration retryAfter;

        public Unavailable(String reason, Duration retryAfter) {
            super(reason, null, false, false); // a verdict for the caller, not a fault: no stack trace
            this.retryAfter = retryAfter;
        }

        /** How long to wait before offering again. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
