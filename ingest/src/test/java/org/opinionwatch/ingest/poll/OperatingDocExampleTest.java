package org.opinionwatch.ingest.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/** The complete ingest config of docs/operating.md is one that really loads, and custom profiles are checked at start-up. */
class OperatingDocExampleTest {
    @TempDir
    Path dir;

    private Path docExample() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "operating.md"));
        int section = doc.indexOf("## Live ingest");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        Path file = dir.resolve("ingest.yaml");
        Files.writeString(file, doc.substring(start, doc.indexOf("```", start)));
        return file;
    }

    @Test
    void theExampleLoadsAndBuildsItsSources() throws IOException {
        Path file = docExample();
        OpinionWatchConfig config = ConfigLoader.load(file, Map.of("OW_INGEST_PUSH_TOKEN", "a-long-enough-secret-token"));
        List<PolledSource> sources = Sources.from(config.ingest().sources(), file.toString());
        assertEquals(List.of("qingxi-bbs", "nanhu-forum", "my-site", "jiangcheng-daily"), sources.stream().map(PolledSource::id).toList());
        assertTrue(sources.get(2).poll() instanceof ForumSource);
        assertTrue(sources.get(3).poll() instanceof FeedSource);
    }

    @Test
    void theExampleNeedsItsPushTokenFromTheEnvironment() throws IOException {
        Path file = docExample();
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).getMessage();
        assertTrue(message.contains("key 'ingest.push.token' must be set"), message);
    }

    @Test
    void aBrokenCustomProfileNamesItsKey() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                ingest:
                  sources:
                    - id: my-site
                      type: forum
                      engine: custom
                      url: "https://bbs.example.edu/list"
                      pollEvery: PT10M
                      profile: { name: x, threadLinks: "a", threadUrl: "/t/(\\\\d+)", canonicalThread: "t/{id}", title: "h1[", body: "div" }
                """);
        OpinionWatchConfig config = ConfigLoader.load(file, Map.of());
        String message = assertThrows(ConfigException.class, () -> Sources.from(config.ingest().sources(), file.toString())).getMessage();
        assertTrue(message.startsWith(file + ": key 'ingest.sources[0].profile' title is not a CSS selector"), message);
    }
}
