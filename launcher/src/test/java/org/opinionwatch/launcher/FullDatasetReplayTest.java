package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * All 344 CED incidents (132,720 reactions) of the shared dataset beside the checkout, as CI has it: every
 * incident's MAJOR and CRITICAL instants must agree with the independent count. Skipped where the dataset is absent.
 */
class FullDatasetReplayTest extends ReplayEndToEndTest {
    static final Path DATASET = Path.of("..", "..", "shared", "datasets", "weibo-ced");

    @Override
    Path dataset() {
        assumeTrue(Files.isDirectory(DATASET.resolve("original-microblog")), "no CED dataset at " + DATASET.toAbsolutePath());
        return DATASET;
    }
}
