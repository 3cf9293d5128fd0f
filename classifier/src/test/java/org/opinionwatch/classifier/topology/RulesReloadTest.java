package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;

/** Rules published on the rules topic apply to the next post, without a restart; unusable rules change nothing. */
class RulesReloadTest {
    private static final java.time.Instant T0 = ClassifierDriver.T0;

    @TempDir
    Path dir;

    private static Post post(String id, long minutes, String text, long comments) {
        var at = T0.plusSeconds(60 * minutes);
        return new Post(id, "forum", "http://bbs/" + id, "", text, "a", T0, at, new Engagement(0, comments, 0, 0), false, null);
    }

    @Test
    void publishedThresholdsAndSubjectsApplyToTheNextPost() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                classifier:
                  subjects:
                    - { id: canteen, name: Canteen, keywords: [食堂] }
                """);
        OpinionWatchConfig base = ConfigLoader.load(config, Map.of());
        try (ClassifierDriver d = new ClassifierDriver(base)) {
            d.observe(post("p1", 0, "食堂的饭菜", 60));
            d.observe(post("p2", 1, "宿舍停电了", 500)); // no subject yet
            assertEquals(List.of("p1:MINOR"), changes(d));

            Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                    thresholds:
                      major: { views: 1000, comments: 50, outlets: 1 }
                      critical: { views: 3000, comments: 500, outlets: 5 }
                    subjects:
                      - { id: canteen, name: Canteen, keywords: [食堂] }
                      - { id: dorm, name: Dormitories, keywords: [宿舍] }
                    """);
            d.publish(ConfigLoader.loadRules(rules, base));
            d.observe(post("p1", 2, "食堂的饭菜", 61)); // the same 61 comments, now above the lowered MAJOR threshold
            d.observe(post("p3", 3, "宿舍又停电了", 1));
            assertEquals(List.of("p1:MAJOR", "p3:MINOR"), changes(d));
        }
    }

    @Test
    void unusableRulesLeaveThePreviousOnes() throws Exception {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            d.rules.pipeInput(org.opinionwatch.contract.topic.Topics.RULES_KEY, "{\"schema\":\"classifier-rules/1\",\"thresholds\":");
            d.observe(post("p1", 0, "anything", 100));
            assertEquals(List.of("p1:MAJOR"), changes(d), "the config file's thresholds still apply");
        }
    }

    private static List<String> changes(ClassifierDriver d) {
        return d.severity.readValuesToList().stream().map((SeverityChange c) -> c.incidentId() + ":" + c.to()).toList();
    }
}
