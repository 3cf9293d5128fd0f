package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs from Debian's packages that the operations tests run. CI must have them (bin/test installs them when
 * missing); on a developer's machine without them, those tests are skipped with a message that says how to get them.
 */
final class Tools {
    private Tools() {
    }

    static void requireOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return;
            }
        }
        String message = program + " is not installed: run bin/test (it installs Debian's prometheus package), or apt-get install -y prometheus";
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }
}
