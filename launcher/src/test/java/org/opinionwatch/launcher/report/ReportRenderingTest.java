package org.opinionwatch.launcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.launcher.Tools;

/**
 * The report as a browser shows it: headless Chromium takes a screenshot and dumps the DOM. The chart must be drawn
 * (its line and level bands in their colours, where the chart is) and the timeline's rows must be there.
 */
class ReportRenderingTest {
    @TempDir
    Path dir;

    @Test
    void chromiumDrawsTheChartAndTheTimeline() throws Exception {
        Tools.requireOnPath("chromium", "chromium");
        RunReport report = new ReportFixture().build();
        ReportFiles.write(report, dir, ZoneId.of("Asia/Shanghai"), "zh-CN");
        Path html = dir.resolve(ReportFiles.HTML);

        Path png = dir.resolve("report.png");
        chromium(List.of("--window-size=1280,1400", "--screenshot=" + png), html);
        BufferedImage image = ImageIO.read(png.toFile());

        Box line = Box.of(image, HtmlReport.COMMENTS_COLOUR);
        Box major = Box.of(image, HtmlReport.LEVEL_COLOURS.get(Level.MAJOR));
        Box general = Box.of(image, HtmlReport.LEVEL_COLOURS.get(Level.GENERAL));
        assertTrue(line.pixels > 300, "the comments line is drawn: " + line);
        assertTrue(line.width() > 600, "across the chart: " + line);
        assertTrue(major.pixels > 5000 && general.pixels > 5000, "the level bands are drawn: " + major + ", " + general);
        assertTrue(major.height() > 150, "a band is as tall as the chart: " + major);
        assertTrue(major.overlaps(line) && general.overlaps(line), "the line runs over the bands: " + line + ", " + major + ", " + general);

        String dom = chromium(List.of("--dump-dom"), html);
        assertEquals(5, count(dom, "<tr class=\"level-change\">"), "the timelines' level changes");
        assertEquals(report.incidents().stream().mapToInt(i -> i.notifications().size()).sum(), count(dom, "<tr class=\"notification\">"),
                "and notifications");
        assertEquals(report.incidents().stream().mapToInt(i -> i.deadlines().size()).sum(), count(dom, "<tr class=\"deadline "), "the deadlines");
    }

    /** Where pixels of exactly one colour are on the screenshot. */
    record Box(int pixels, int minX, int minY, int maxX, int maxY) {
        static Box of(BufferedImage image, String hex) {
            int rgb = Integer.parseInt(hex.substring(1), 16);
            int pixels = 0;
            int minX = Integer.MAX_VALUE;
            int minY = Integer.MAX_VALUE;
            int maxX = -1;
            int maxY = -1;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                        pixels++;
                        minX = Math.min(minX, x);
                        minY = Math.min(minY, y);
                        maxX = Math.max(maxX, x);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            return new Box(pixels, minX, minY, maxX, maxY);
        }

        int width() {
            return maxX - minX + 1;
        }

        int height() {
            return maxY - minY + 1;
        }

        boolean overlaps(Box other) {
            return minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY;
        }
    }

    /**
     * Runs headless Chromium on the file and returns what it printed. The flags keep it off the network: without
     * them it waits for services a closed network never answers. A profile of its own, so runs never share one.
     */
    private String chromium(List<String> flags, Path html) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        command.addAll(flags);
        command.add(html.toUri().toString());
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within 60 s: " + command);
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed: " + read(dir.resolve("chromium.log")));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String text, String part) {
        return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
