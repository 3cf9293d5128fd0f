package org.opinionwatch.launcher.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opinionwatch.launcher.Main;
import picocli.CommandLine;

/**
 * docs/commands.md is every command's {@code --help} as picocli renders it, so that it says exactly what the
 * commands take. A change to a command changes the file: {@code -Dow.docs.write=true} rewrites it.
 */
class CommandsDocTest {
    static final Path FILE = Docs.ROOT.resolve("docs/commands.md");
    private static final int WIDTH = 110;

    static String render() {
        CommandLine main = new CommandLine(new Main()).setUsageHelpWidth(WIDTH);
        StringBuilder doc = new StringBuilder("""
                # Command reference

                <!-- Generated from the commands' picocli definitions by CommandsDocTest, which fails when this file
                     differs from them. After changing a command, rewrite it with:
                     mvn -B -q -pl launcher -am test -Dtest=CommandsDocTest -Dsurefire.failIfNoSpecifiedTests=false -Dow.docs.write=true -->

                Every command is run as `bin/opinion-watch COMMAND [OPTIONS]` from the checkout (the script builds the
                project when the build is missing or older than the sources), or as `opinion-watch COMMAND` in the
                Docker image. `--config FILE` takes a YAML file of settings over the defaults
                ([configuration.md](configuration.md)); `OW_*` environment variables override both. Exit codes: 0 done,
                1 an error the message explains (a config mistake, a cluster that does not answer), 2 a usage error.

                The guides: [replay.md](replay.md) (replay, backtest, export), [operating.md](operating.md) (the live
                stages, topics, the broker), [response-plan.md](response-plan.md) (`act`, `silence`),
                [classification.md](classification.md) (`rules`), [sources.md](sources.md) (`try-source`),
                [../BENCHMARKS.md](../BENCHMARKS.md) (`bench`).

                """);
        doc.append("## opinion-watch\n\n```text\n").append(usage(main)).append("```\n");
        for (CommandLine sub : main.getSubcommands().values()) {
            doc.append("\n## ").append(sub.getCommandName()).append("\n\n```text\n").append(usage(sub)).append("```\n");
        }
        return doc.toString();
    }

    private static String usage(CommandLine command) {
        return command.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().map(String::stripTrailing)
                .reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append).toString();
    }

    @Test
    void theCommandReferenceIsWhatTheCommandsSay() throws IOException {
        String expected = render();
        if (Docs.WRITE) {
            Files.writeString(FILE, expected);
        }
        assertEquals(expected, Files.readString(FILE), "docs/commands.md differs from the commands: rewrite it with "
                + "-Dow.docs.write=true (see the file's header)");
    }

    /** Picocli formats help text with String.format: a lone percent sign prints its warning and the text unformatted. */
    @Test
    void everyHelpTextFormats() {
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            render();
        } finally {
            System.setErr(err);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "write a percent sign in help text as %%");
    }
}
