package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.SharedDatasets;

/**
 * All 344 CED incidents (132,720 reactions) of the shared dataset beside the checkout, as CI has it: every
 * incident's MAJOR and CRITICAL instants must agree with the independent count, and the plan must keep to the
 * office's budget. Skipped where the dataset is absent, but failed under CI=true.
 */
class FullDatasetReplayTest extends ReplayEndToEndTest {
    static final Path DATASET = SharedDatasets.WEIBO_CED;

    /** The office's budget, on the whole dataset with an office on time: few notifications per incident. */
    @Test
    void fewNotificationsPerIncident() {
        assertTrue(budget.all().median() <= 10, "a median of at most 10 notifications per incident: " + budget.all());
        assertTrue(budget.all().p95() <= 20, "a p95 of at most 20: " + budget.all());
    }

    @Override
    Path dataset() {
        assumeTrue(SharedDatasets.available(DATASET), "no CED dataset at " + DATASET.toAbsolutePath());
        return DATASET;
    }
}
