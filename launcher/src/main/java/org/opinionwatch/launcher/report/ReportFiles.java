package org.opinionwatch.launcher.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.opinionwatch.contract.serde.Json;

/** A replay's report on disk: {@code report.html} for people, {@code report.json} for programs. */
public final class ReportFiles {
    public static final String HTML = "report.html";
    public static final String JSON = "report.json";

    private ReportFiles() {
    }

    /**
     * Writes both files into {@code dir}, creating it if needed; the HTML's times are in {@code zone}, its words in
     * {@code language} (the plan's: {@code escalation.locale}).
     */
    public static void write(RunReport report, Path dir, ZoneId zone, String language) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(HTML), HtmlReport.render(report, zone, language), StandardCharsets.UTF_8);
            // Compact: a report of a large archive holds a window point per change of every incident (its commit has the figures).
            Files.write(dir.resolve(JSON), Json.TOLERANT.writeValueAsBytes(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }
}
