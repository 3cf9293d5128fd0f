package org.opinionwatch.broker;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The datasets that CI keeps beside the checkout, which tests replay when they are there. A developer without them
 * gets those tests skipped; CI ({@code CI=true}) gets them failed, so that a missing dataset never passes for a green
 * run.
 */
public final class SharedDatasets {
    /** The CED dataset (Weibo rumours and non-rumours), as seen from a module's directory, where tests run. */
    public static final Path WEIBO_CED = Path.of("..", "..", "shared", "datasets", "weibo-ced");

    private SharedDatasets() {
    }

    /**
     * Whether {@code dataset} is there, for the caller to skip its test when it is not.
     *
     * @throws AssertionError under {@code CI=true} when it is not
     */
    public static boolean available(Path dataset) {
        if (Files.isDirectory(dataset.resolve("original-microblog"))) {
            return true;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("no dataset at " + dataset.toAbsolutePath().normalize() + ", and CI=true: CI must have it");
        }
        return false;
    }
}
