package org.opinionwatch.launcher.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;

/** A run's {@link Budget} as the lines the replay and backtest commands print under their summary. */
public final class BudgetText {
    private BudgetText() {
    }

    public static String of(Budget b, OpinionWatchConfig.SimulatedOffice office) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Notifications per incident (office %s; a digest once for each incident it lists; %,d daily "
                + "reports apart): %s%n", office.name().toLowerCase(Locale.ROOT).replace('_', '-'), b.dailyReports(), spread(b.all())));
        for (Map.Entry<Level, Budget.Spread> e : b.byPeak().entrySet()) {
            s.append(String.format(Locale.ROOT, "  highest level %-8s %s%n", e.getKey(), spread(e.getValue())));
        }
        StringBuilder roles = new StringBuilder();
        for (Role r : List.of(Role.values())) {
            roles.append(roles.length() == 0 ? "" : ", ").append(r).append(' ').append(String.format(Locale.ROOT, "%,d", b.byRole().getOrDefault(r, 0L)));
        }
        s.append("  per role: ").append(roles).append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "  bulletins below MAJOR (not closing): %,d; MINOR or GENERAL delivered 22:00-07:00: %,d; "
                        + "more Latin letters than Chinese: %,d; duties left out: %s%n", b.bulletinsBelowMajor(), b.atNight(), b.notChinese(),
                b.dutiesLeftOut() == null ? "not checked" : String.format(Locale.ROOT, "%,d", b.dutiesLeftOut())));
        return s.toString();
    }

    static String spread(Budget.Spread s) {
        return String.format(Locale.ROOT, "%d incidents, median %s, p95 %d, max %d", s.incidents(),
                s.median() == Math.rint(s.median()) ? String.valueOf((long) s.median()) : String.valueOf(s.median()), s.p95(), s.max());
    }
}
