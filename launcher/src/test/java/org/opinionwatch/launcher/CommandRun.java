package org.opinionwatch.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A command of {@code opinion-watch} run in this JVM as a person runs it: its exit code and what it printed. */
public record CommandRun(int exit, String out, String err) {
    /** What the command wrote to standard error (picocli's usage errors go there), once its exit code is checked. */
    public String errAfter(int expectedExit) {
        org.junit.jupiter.api.Assertions.assertEquals(expectedExit, exit, err);
        return err;
    }

    public static CommandRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new CommandRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
