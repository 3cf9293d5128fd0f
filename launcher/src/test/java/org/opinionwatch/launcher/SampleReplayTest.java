package org.opinionwatch.launcher;

import java.nio.file.Path;

/** The bundled sample of 19 CED incidents (samples/weibo-ced). */
class SampleReplayTest extends ReplayEndToEndTest {
    @Override
    Path dataset() {
        return Path.of("..", "samples", "weibo-ced");
    }

    @Override
    boolean alsoByPartition() {
        return true;
    }
}
