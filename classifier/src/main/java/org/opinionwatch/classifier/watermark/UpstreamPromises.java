package org.opinionwatch.classifier.watermark;

import java.util.Arrays;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.incident.Promise;

/**
 * The latest promise of each upstream task of one kind ({@link Promise.Source}), and the lowest of them: how far a
 * task downstream of a loop may go. Kept in a store as well (a few longs), so that after a restart the task goes on
 * from where its upstream tasks had got rather than waiting for each to speak again.
 */
public final class UpstreamPromises {
    /** A task's latest promise as kept. */
    public record Promised(long at) {
        public static final String SCHEMA = "classifier-promise/1";
    }

    private final KeyValueStore<String, Promised> store;
    private final Promise.Source source;
    private final long[] latest;

    /** @param tasks how many upstream tasks promise: one per partition of the loop topic they write */
    public UpstreamPromises(KeyValueStore<String, Promised> store, Promise.Source source, int tasks) {
        this.store = store;
        this.source = source;
        this.latest = new long[tasks];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int task = 0; task < tasks; task++) {
            Promised kept = store.get(key(task));
            if (kept != null) {
                latest[task] = kept.at();
            }
        }
    }

    /**
     * Takes task {@code task}'s promise that nothing older than {@code at} is still to come from it.
     *
     * @return whether the lowest promise moved on
     */
    public boolean promised(int task, long at) {
        if (task < 0 || task >= latest.length || at <= latest[task]) {
            return false; // an old promise repeated, or a task of a partition count that is no longer the loop's
        }
        long before = lowest();
        latest[task] = at;
        store.put(key(task), new Promised(at));
        return lowest() > before;
    }

    /** The lowest of the tasks' promises; {@link Long#MIN_VALUE} until every task has promised. */
    public long lowest() {
        long lowest = Long.MAX_VALUE;
        for (long at : latest) {
            lowest = Math.min(lowest, at);
        }
        return lowest;
    }

    private String key(int task) {
        return source + "/" + task;
    }
}
