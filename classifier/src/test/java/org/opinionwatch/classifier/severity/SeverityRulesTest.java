package org.opinionwatch.classifier.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig.Threshold;
import org.opinionwatch.contract.config.OpinionWatchConfig.Thresholds;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

class SeverityRulesTest {
    private final SeverityRules rules = new SeverityRules(new Thresholds(new Threshold(1000, 100, 1), new Threshold(3000, 500, 5)));

    @Test
    void designThresholds() {
        assertEquals(Level.MINOR, rules.levelFor(new WindowMetrics(999, 99, 0)));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(1000, 0, 0)));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(0, 100, 0)));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(0, 0, 1)));
        assertEquals(Level.CRITICAL, rules.levelFor(new WindowMetrics(3000, 0, 0)));
        assertEquals(Level.CRITICAL, rules.levelFor(new WindowMetrics(0, 500, 0)));
        assertEquals(Level.CRITICAL, rules.levelFor(new WindowMetrics(0, 0, 5)));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(2999, 499, 4)));
    }

    @Test
    void namesTheThresholdsThatWereCrossed() {
        assertEquals(List.of("comments>=100", "outlets>=1"), rules.crossed(Level.MAJOR, new WindowMetrics(10, 120, 1)));
        assertEquals(List.of("views>=3000"), rules.crossed(Level.CRITICAL, new WindowMetrics(3000, 120, 1)));
    }
}
