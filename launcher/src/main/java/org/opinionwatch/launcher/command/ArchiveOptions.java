package org.opinionwatch.launcher.command;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The archive a replay or a backtest reads: {@code --format} and {@code --input}. */
public final class ArchiveOptions {
    @Option(names = "--format", required = true, paramLabel = "jsonl|weibo-ced", converter = FormatConverter.class,
            description = "Archive format: jsonl (the project's own, see README) or weibo-ced (the CED dataset layout).")
    ArchiveFormat format;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "The archive: a file or a directory; its files may be gzip-compressed.")
    Path input;

    /** A missing archive is a usage error, said before a broker starts. */
    void require(CommandSpec spec) {
        if (!Files.exists(input)) {
            throw new ParameterException(spec.commandLine(), "--input " + input + ": no such file or directory");
        }
    }
}
