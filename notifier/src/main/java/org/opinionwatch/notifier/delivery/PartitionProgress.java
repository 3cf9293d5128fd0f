package org.opinionwatch.notifier.delivery;

import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * What the notifier read of one partition and has not finished: the offset it may commit is that of the first
 * notification not yet delivered, refused or skipped, so that a restart starts there and loses none.
 *
 * <p>The offsets are kept by the poll thread alone; {@link #revoked()} is read by the lanes too.
 */
final class PartitionProgress {
    private final TreeSet<Long> pending = new TreeSet<>();
    private final CountDownLatch revoked = new CountDownLatch(1);
    private long next = -1;

    void started(long offset) {
        pending.add(offset);
        next = offset + 1;
    }

    void finished(long offset) {
        pending.remove(offset);
    }

    int pending() {
        return pending.size();
    }

    /**
     * The offset to commit: the first notification read and not finished, or the one after the last read when all
     * are finished; null before any was read.
     */
    Long committable() {
        return next < 0 ? null : pending.isEmpty() ? next : pending.first();
    }

    /** Counted down when the partition goes to another notifier (or this one stops): its work here is abandoned. */
    CountDownLatch revoked() {
        return revoked;
    }

    boolean isRevoked() {
        return revoked.getCount() == 0;
    }

    void revoke() {
        revoked.countDown();
    }
}
