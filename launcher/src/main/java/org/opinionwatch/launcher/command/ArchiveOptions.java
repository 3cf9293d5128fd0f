package org.opinionwatch.launcher.command;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The archive a replay or a backtest reads: {@code --format} and {@code --input}. */
public final class ArchiveOptions {
    @Option(names = "--format", required = true, paramLabel = "jsonl|weibo-ced", converter = FormatConverter.class,
            description = "Archive format: jsonl (the project's own, docs/replay.md) or weibo-ced (the CED dataset layout).")
    ArchiveFormat format;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "The archive: a file or a directory; its files may be gzip-compressed.")
    Path input;

    @Option(names = "--office", paramLabel = "absent|on-time|late", defaultValue = "absent", converter = OfficeConverter.class,
            description = "Who does the plan's duties in the run: absent (nobody, the default, as in the archive), on-time (each "
                    + "duty done by its role halfway to its deadline) or late (just after it). Its actions are recorded on actions.")
    OpinionWatchConfig.SimulatedOffice office;

    /** The settings with the simulated office of {@code --office}. */
    OpinionWatchConfig withOffice(OpinionWatchConfig config) {
        return config.withOffice(office);
    }

    static final class OfficeConverter implements CommandLine.ITypeConverter<OpinionWatchConfig.SimulatedOffice> {
        @Override
        public OpinionWatchConfig.SimulatedOffice convert(String value) {
            try {
                return OpinionWatchConfig.SimulatedOffice.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("\"" + value + "\": absent, on-time or late");
            }
        }
    }

    /** A missing archive is a usage error, said before a broker starts. */
    void require(CommandSpec spec) {
        require(spec, "--input", input);
    }

    /** The archive that {@code option} names exists, else a usage error naming the option. */
    static void require(CommandSpec spec, String option, Path archive) {
        if (!Files.exists(archive)) {
            throw new ParameterException(spec.commandLine(), option + " " + archive + ": no such file or directory");
        }
    }
}
