package org.opinionwatch.runtime.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * Counts of what a stage's state stores hold (open incidents by level, pending deadlines), kept per Kafka Streams
 * task and served as one gauge per kind, the sum over the tasks this instance runs. A task counts its store once when
 * it starts ({@link #reset}), then follows its own changes ({@link #add}); a task that moves to another instance
 * takes its counts along ({@link #remove}), so every instance reports what it holds and the sum over instances is
 * the whole.
 *
 * @param <K> the kinds counted; those given to the constructor have a gauge each, the others are counted unseen
 */
public final class TaskGauges<K extends Enum<K>> {
    private final int universe;
    private final Map<String, AtomicLongArray> byTask = new ConcurrentHashMap<>();

    /** Registers a gauge for each kind, named and tagged as the functions say. */
    public TaskGauges(MeterRegistry registry, Set<K> kinds, Function<K, String> name, Function<K, Tags> tags, String description) {
        this.universe = kinds.iterator().next().getDeclaringClass().getEnumConstants().length;
        for (K kind : kinds) {
            // Strong: Micrometer holds a gauge's object weakly, and these live as long as the stage.
            Gauge.builder(name.apply(kind), this, g -> g.sum(kind)).tags(tags.apply(kind)).description(description)
                    .strongReference(true).register(registry);
        }
    }

    /** The task starts counting afresh (it then counts its store). */
    public void reset(String task) {
        byTask.put(task, new AtomicLongArray(universe));
    }

    public void add(String task, K kind, long delta) {
        AtomicLongArray counts = byTask.get(task);
        if (counts != null) {
            counts.addAndGet(kind.ordinal(), delta);
        }
    }

    public void remove(String task) {
        byTask.remove(task);
    }

    long sum(K kind) {
        long sum = 0;
        for (AtomicLongArray counts : byTask.values()) {
            sum += counts.get(kind.ordinal());
        }
        return sum;
    }
}
