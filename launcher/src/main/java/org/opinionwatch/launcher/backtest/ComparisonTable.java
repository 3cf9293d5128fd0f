package org.opinionwatch.launcher.backtest;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.opinionwatch.contract.event.Level;

/** A {@link Comparison} as a table for a person: the runs, the counts per level, then each incident that differs. */
public final class ComparisonTable {
    private ComparisonTable() {
    }

    /** @param zone the zone times are shown in: the plan's */
    public static void print(Comparison c, ZoneId zone, PrintStream out) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        out.printf("A: %s (namespace %s)%n   %s%n", c.a().rules(), c.a().namespace(), c.a().summary().text());
        out.printf("B: %s (namespace %s)%n   %s%n", c.b().rules(), c.b().namespace(), c.b().summary().text());
        int total = c.same() + c.incidents().size();
        out.printf("%nB differs from A in %d of %d incidents. Levels first reached (times in %s):%n", c.incidents().size(), total, zone);
        for (Map.Entry<Level, Comparison.Tally> e : c.byLevel().entrySet()) {
            Comparison.Tally t = e.getValue();
            out.printf("  %-8s %3d later in B, %3d earlier in B, %3d reached only in A, %3d only in B%n",
                    e.getKey(), t.later(), t.earlier(), t.onlyA(), t.onlyB());
        }
        for (Comparison.Incident i : c.incidents()) {
            out.printf("%n%s  %s%n", i.id(), i.title());
            if (!i.crossings().isEmpty()) {
                out.printf("  %-9s %-20s %-20s %s%n", "level", "A first reached", "B first reached", "B");
                for (Comparison.Crossing x : i.crossings()) {
                    out.printf("  %-9s %-20s %-20s %s%n", x.level(), at(time, x.a()), at(time, x.b()), change(x));
                }
            }
            if (!i.notifications().isEmpty()) {
                out.printf("  %-28s %-19s %5s %5s %6s  %s%n", "notifications: duty", "role", "A", "B", "B - A", "the first in B");
                for (Comparison.Notifications n : i.notifications()) {
                    out.printf("  %-28s %-19s %5d %5d %+6d  %s%n", n.duty(), n.role(), n.a(), n.b(), n.difference(), first(n));
                }
            }
        }
    }

    private static String first(Comparison.Notifications n) {
        if (n.firstA() == null || n.firstB() == null) {
            return n.firstB() == null ? "none" : "A sent none";
        }
        long seconds = n.firstDifference();
        return seconds == 0 ? "at the same time" : (seconds > 0 ? "later by " : "earlier by ") + human(Duration.ofSeconds(Math.abs(seconds)));
    }

    private static String at(DateTimeFormatter time, Instant instant) {
        return instant == null ? "never" : time.format(instant);
    }

    private static String change(Comparison.Crossing x) {
        return switch (x.change()) {
            case LATER -> "later by " + human(Duration.ofSeconds(x.difference()));
            case EARLIER -> "earlier by " + human(Duration.ofSeconds(-x.difference()));
            case ONLY_A -> "never reaches it";
            case ONLY_B -> "reaches it, A never did";
        };
    }

    /** 3 d 4 h 5 min 6 s, leaving out what is zero. */
    static String human(Duration d) {
        StringBuilder s = new StringBuilder();
        long[] parts = {d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart()};
        String[] units = {"d", "h", "min", "s"};
        for (int k = 0; k < parts.length; k++) {
            if (parts[k] != 0) {
                s.append(s.length() == 0 ? "" : " ").append(parts[k]).append(' ').append(units[k]);
            }
        }
        return s.length() == 0 ? "0 s" : s.toString();
    }
}
