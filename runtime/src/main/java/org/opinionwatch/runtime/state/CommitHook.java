package org.opinionwatch.runtime.state;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing and tells its processor when the task is about to commit: Kafka Streams flushes
 * every store that keeps a record cache ({@link CachedStateStore}, an internal interface) before it flushes the
 * producer and commits the transaction, on every commit and before a task is closed or handed over. What the
 * processor writes to its other stores then goes into the same transaction as the offsets of the inputs that caused
 * it. So a processor can keep a value that changes at every record as an object and write it once per commit
 * ({@link RecentlyUsed}), where a store would serialize it at every put even with Kafka Streams' own cache.
 *
 * <p>The stores written at the hook must have no record cache of their own: Kafka Streams flushes the stores in an
 * order of its choosing, and a write into a cache already flushed would wait for the next commit.
 */
public final class CommitHook implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private Runnable beforeCommit = () -> { };
    private boolean open;

    private CommitHook(String name) {
        this.name = name;
    }

    /** Runs {@code task} at each commit of the task, before the commit; replaces what was set before. */
    public void beforeCommit(Runnable task) {
        this.beforeCommit = task;
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    @Override
    public void clearCache() {
        // holds nothing
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void close() {
        beforeCommit = () -> { };
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The builder of a hook named {@code name}: never logged, never cached. */
    public static StoreBuilder<CommitHook> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHook> withCachingEnabled() {
                throw new UnsupportedOperationException("a commit hook holds nothing to cache");
            }

            @Override
            public StoreBuilder<CommitHook> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("a commit hook holds nothing to log");
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHook build() {
                return new CommitHook(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
