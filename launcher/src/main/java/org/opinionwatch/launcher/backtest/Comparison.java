package org.opinionwatch.launcher.backtest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.launcher.report.RunReport;

/**
 * How run B (rules B) differs from run A (rules A) of one archive, incident by incident: when each level was first
 * reached, and how many notifications of each duty went to each role. Only what differs is listed.
 *
 * @param incidents the incidents that differ, in the order A (then B) first saw them
 * @param same how many incidents are the same in both runs
 * @param byLevel for each level, how many incidents reached it later, earlier, only in A or only in B
 */
public record Comparison(Run a, Run b, List<Incident> incidents, int same, Map<Level, Tally> byLevel) {

    /** One run: its label (the rules file), namespace and summary. */
    public record Run(String rules, String namespace, RunReport.Summary summary) {
    }

    public record Incident(String id, String title, List<Crossing> crossings, List<Notifications> notifications) {
    }

    /**
     * A level first reached at different instants: {@code a} in run A, {@code b} in run B, null where never.
     *
     * @param difference B's instant less A's, in seconds: positive when B reaches it later; null if one never does
     */
    public record Crossing(Level level, Instant a, Instant b, Long difference) {
        static Crossing of(Level level, Instant a, Instant b) {
            return new Crossing(level, a, b, a == null || b == null ? null : Duration.between(a, b).toSeconds());
        }

        @JsonProperty("change")
        public Change change() {
            return a == null ? Change.ONLY_B : b == null ? Change.ONLY_A : b.isAfter(a) ? Change.LATER : Change.EARLIER;
        }
    }

    /** How B's crossing of a level compares with A's. */
    public enum Change { LATER, EARLIER, ONLY_A, ONLY_B }

    /**
     * How many notifications listing one duty one role got in each run, and when the first came: the same count can hide
     * a duty that now comes later (a GENERAL incident can still get the MAJOR procedure, when it keeps growing).
     *
     * @param firstA when run A sent the first of them, or null if it sent none; {@code firstB} the same for B
     */
    public record Notifications(String duty, Role role, long a, long b, Instant firstA, Instant firstB) {
        @JsonProperty("difference")
        public long difference() {
            return b - a;
        }

        /** B's first less A's, in seconds; null if either run sent none. */
        @JsonProperty("firstDifference")
        public Long firstDifference() {
            return firstA == null || firstB == null ? null : Duration.between(firstA, firstB).toSeconds();
        }
    }

    /** The incidents whose crossing of one level changed, by how. */
    public record Tally(int later, int earlier, int onlyA, int onlyB) {
        Tally plus(Change change) {
            return switch (change) {
                case LATER -> new Tally(later + 1, earlier, onlyA, onlyB);
                case EARLIER -> new Tally(later, earlier + 1, onlyA, onlyB);
                case ONLY_A -> new Tally(later, earlier, onlyA + 1, onlyB);
                case ONLY_B -> new Tally(later, earlier, onlyA, onlyB + 1);
            };
        }
    }

    private static final Tally NONE = new Tally(0, 0, 0, 0);

    public static Comparison of(RunReport a, RunReport b) {
        Map<String, RunReport.Incident> inA = byId(a);
        Map<String, RunReport.Incident> inB = byId(b);
        Set<String> ids = new LinkedHashSet<>(inA.keySet());
        ids.addAll(inB.keySet());
        List<Incident> differing = new ArrayList<>();
        Map<Level, Tally> byLevel = new EnumMap<>(Level.class);
        for (Level level : levels()) {
            byLevel.put(level, NONE);
        }
        for (String id : ids) {
            RunReport.Incident x = inA.get(id);
            RunReport.Incident y = inB.get(id);
            Map<Level, Instant> reachedA = x == null ? Map.of() : x.firstReached();
            Map<Level, Instant> reachedB = y == null ? Map.of() : y.firstReached();
            List<Crossing> crossings = new ArrayList<>();
            for (Level level : levels()) {
                Instant atA = reachedA.get(level);
                Instant atB = reachedB.get(level);
                if (atA == null ? atB != null : !atA.equals(atB)) {
                    Crossing c = Crossing.of(level, atA, atB);
                    crossings.add(c);
                    byLevel.put(level, byLevel.get(level).plus(c.change()));
                }
            }
            List<Notifications> notifications = notifications(x, y);
            if (crossings.isEmpty() && notifications.isEmpty()) {
                continue;
            }
            String title = x != null && !x.title().isBlank() ? x.title() : y != null ? y.title() : "";
            differing.add(new Incident(id, title, crossings, notifications));
        }
        return new Comparison(run(a), run(b), differing, ids.size() - differing.size(), byLevel);
    }

    private static List<Level> levels() {
        return List.of(Level.MINOR, Level.GENERAL, Level.MAJOR, Level.CRITICAL);
    }

    private static Run run(RunReport report) {
        return new Run(report.run().rules(), report.run().namespace(), report.summary());
    }

    private static Map<String, RunReport.Incident> byId(RunReport report) {
        Map<String, RunReport.Incident> byId = new LinkedHashMap<>();
        report.incidents().forEach(i -> byId.put(i.id(), i));
        return byId;
    }

    /** The (duty, role) pairs whose count or first instant differ, by duty, then role. */
    private static List<Notifications> notifications(RunReport.Incident a, RunReport.Incident b) {
        Map<String, Notifications> pairs = new TreeMap<>();
        for (int run = 0; run < 2; run++) {
            RunReport.Incident incident = run == 0 ? a : b;
            if (incident == null) {
                continue;
            }
            for (RunReport.Sent n : incident.notifications()) {
                for (String duty : n.duties()) {
                    Notifications c = pairs.getOrDefault(duty + "|" + n.role(), new Notifications(duty, n.role(), 0, 0, null, null));
                    pairs.put(duty + "|" + n.role(), run == 0
                            ? new Notifications(c.duty(), c.role(), c.a() + 1, c.b(), c.firstA() == null ? n.at() : c.firstA(), c.firstB())
                            : new Notifications(c.duty(), c.role(), c.a(), c.b() + 1, c.firstA(), c.firstB() == null ? n.at() : c.firstB()));
                }
            }
        }
        return pairs.values().stream()
                .filter(n -> n.a() != n.b() || !java.util.Objects.equals(n.firstA(), n.firstB()))
                .sorted(Comparator.comparing(Notifications::duty).thenComparing(Notifications::role))
                .toList();
    }
}
