package org.opinionwatch.classifier.watermark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.IncrementFormat;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.serde.SortableKeys;
import org.opinionwatch.runtime.state.Mirrored;

/**
 * Inputs that wait until the watermark has passed them, then leave in event-time order, ties broken by incident and
 * post (then in order of arrival, which only records of one partition share): the same order whatever order they
 * came in. Held in memory and in a changelogged store, so that a restart keeps what was waiting: written to the store
 * at {@link #writeAll}, when the task commits, so that an input that comes and goes between two commits is never
 * written.
 */
public final class OrderedBuffer {
    /** Below every printable character: keys sort by time, then incident, then post. */
    private static final char SEP = '\u001f';

    /**
     * An input waiting, with the wall-clock time ingest took its post in (0 if none), from which latency is measured.
     *
     * @param awaitingWord an increment of a story the story grouper had not decided when it came: it goes to another
     *     incident if the story joins one (absent, hence false, in what a release before it wrote)
     */
    public record Held(Increment increment, long intakeMillis, boolean awaitingWord) {
        public Held(Increment increment, long intakeMillis) {
            this(increment, intakeMillis, false);
        }
    }

    /** Inputs waiting together (of one instant, incident and post; or of one story), in order of arrival. */
    public record Waiting(List<Held> held) {
        /** As JSON: {@code /1} in {@code waiting}, {@code /2} in {@code stories-awaiting} (the same fields, keyed otherwise). */
        public static final String SCHEMA = "classifier-waiting/1";
        /** As compact bytes ({@link #FORMAT}), in both stores. */
        public static final String COMPACT_SCHEMA = "classifier-waiting/3";

        /** The inputs in order, each its increment ({@link IncrementFormat}), intake time and whether it awaits the grouper's word. */
        public static final CompactSerde.Format<Waiting> FORMAT = new CompactSerde.Format<>() {
            @Override
            public void write(Waiting w, CompactSerde.Writer out) {
                out.number(w.held().size());
                for (Held h : w.held()) {
                    IncrementFormat.INSTANCE.write(h.increment(), out);
                    out.number(h.intakeMillis());
                    out.bool(h.awaitingWord());
                }
            }

            @Override
            public Waiting read(CompactSerde.Reader in) {
                int n = in.count();
                List<Held> held = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    held.add(new Held(IncrementFormat.INSTANCE.read(in), in.number(), in.bool()));
                }
                return new Waiting(held);
            }
        };

        /** {@code before} (or nothing, when null) with {@code next} after it. */
        public static Waiting then(Waiting before, Held next) {
            List<Held> held = new ArrayList<>(before == null ? List.of() : before.held());
            held.add(next);
            return new Waiting(held);
        }
    }

    private final Mirrored<Waiting> waiting;
    /** The keys waiting, by incident: a story that joins another takes its incident's inputs without a scan of all. */
    private final Map<String, TreeSet<String>> byIncident = new HashMap<>();

    public OrderedBuffer(KeyValueStore<String, Waiting> store) {
        this.waiting = Mirrored.deferred(store);
        waiting.keys().forEach(key -> byIncident.computeIfAbsent(incidentOf(key), i -> new TreeSet<>()).add(key));
    }

    public void hold(Held held) {
        Increment increment = held.increment();
        String key = SortableKeys.decimal(Math.max(0, increment.orderAt().toEpochMilli())) + SEP + increment.incidentId() + SEP
                + (increment.post() == null ? "" : increment.post().id());
        waiting.put(key, Waiting.then(waiting.get(key), held));
        byIncident.computeIfAbsent(increment.incidentId(), i -> new TreeSet<>()).add(key);
    }

    private static String incidentOf(String key) {
        int from = key.indexOf(SEP) + 1;
        return key.substring(from, key.indexOf(SEP, from));
    }

    private void forget(String key) {
        waiting.remove(key);
        String incident = incidentOf(key);
        TreeSet<String> keys = byIncident.get(incident);
        keys.remove(key);
        if (keys.isEmpty()) {
            byIncident.remove(incident);
        }
    }

    /** Takes the earliest inputs waiting, those of one instant, incident and post, if they are before {@code before}. */
    public List<Held> takeBefore(long before) {
        Map.Entry<String, Waiting> first = waiting.first();
        if (first == null || first.getValue().held().get(0).increment().orderAt().toEpochMilli() >= before) {
            return null;
        }
        forget(first.getKey());
        return first.getValue().held();
    }

    /** Writes what changed since the last call to the store: at the task's commit ({@code CommitHook}). */
    public void writeAll() {
        waiting.writeAll();
    }

    /** Takes every input of {@code incidentId} waiting, in order. */
    public List<Held> takeAllOf(String incidentId) {
        List<Held> all = new ArrayList<>();
        for (String key : byIncident.getOrDefault(incidentId, new TreeSet<>())) {
            all.addAll(waiting.get(key).held());
            waiting.remove(key);
        }
        byIncident.remove(incidentId);
        return all;
    }
}
