package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

class ReportsTest {
    @Test
    void aDayOfThousandsOfIncidentsListsTheHighestAndCountsTheRest() {
        List<Reports.DayLine> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add(new Reports.DayLine(String.format("inc-%04d", i), "dormitory", i == 4_321 ? Level.CRITICAL : Level.MINOR,
                    WindowMetrics.ZERO, false));
        }
        String report = new Reports(ZoneId.of("Asia/Shanghai")).daily(LocalDate.of(2024, 6, 3), lines);
        assertEquals(Reports.DAILY_LINES, report.lines().filter(l -> l.startsWith("| `inc-")).count());
        assertTrue(report.lines().filter(l -> l.startsWith("| `inc-")).findFirst().orElseThrow().startsWith("| `inc-4321` | dormitory | critical (特别重大)"),
                "the critical one leads");
        assertTrue(report.contains("0 incident(s) changed level today; 5000 open."), report.substring(0, 200));
        assertTrue(report.endsWith("4800 more incidents are not listed: see the dashboard.\n"));
    }
}
