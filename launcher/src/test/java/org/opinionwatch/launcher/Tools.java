package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs from Debian's packages that some tests run (Prometheus, promtool, Chromium). CI must have them (bin/test-tools
 * installs them when missing); on a developer's machine without them, those tests are skipped with a message that
 * says how to get them.
 */
public final class Tools {
    private Tools() {
    }

    /** @param debianPackage the package that has {@code program} */
    public static void requireOnPath(String program, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return;
            }
        }
        String message = program + " is not installed: run bin/test-tools (it installs what the tests need), or "
                + "apt-get install -y --no-install-recommends " + debianPackage;
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }
}
