package org.opinionwatch.classifier.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.SharedDatasets;
import org.opinionwatch.contract.config.ConfigLoader;

/**
 * What the default grouping does to the 344 original posts of Weibo CED (Song et al., arXiv:1811.04175), all on one
 * (catch-all) subject: in time order, as the classifier's story grouper sees them in a replay, each is compared with
 * the stories of the 24 hours before it. Prints every join with its similarity; every pair it joins was read and is
 * a copy or a rewording of one story.
 */
class StoryGroupingMeasurementTest {
    private static final Path DATASET = SharedDatasets.WEIBO_CED.resolve("original-microblog");

    private record Original(String name, long time, String text) {
    }

    @Test
    void theDefaultJoinsOnlyRetellingsOfOneStory() throws IOException {
        assumeTrue(SharedDatasets.available(SharedDatasets.WEIBO_CED), "Weibo CED is not at " + DATASET.toAbsolutePath());
        var g = ConfigLoader.load(null, java.util.Map.of()).classifier().grouping();
        StoryGrouping grouping = new StoryGrouping(g.similarity(), g.minBigrams());
        List<Original> originals = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(DATASET)) {
            for (Path f : files.sorted().toList()) {
                JsonNode n;
                try {
                    n = json.readTree(f.toFile());
                } catch (IOException e) {
                    continue; // the dataset's broken files: the archive reader's business
                }
                if (n.path("time").isIntegralNumber() && n.path("text").isTextual()) {
                    originals.add(new Original(f.getFileName().toString(), n.path("time").asLong(), n.path("text").asText()));
                }
            }
        }
        originals.sort(Comparator.comparingLong(Original::time));
        List<String> joins = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            Original o = originals.get(i);
            List<StoryGrouping.Story> recent = new ArrayList<>();
            for (int j = i - 1; j >= 0 && originals.get(j).time() > o.time() - 86_400; j--) {
                recent.add(new StoryGrouping.Story(originals.get(j).name(), StoryFingerprint.of("", originals.get(j).text())));
            }
            StoryFingerprint f = StoryFingerprint.of("", o.text());
            grouping.incidentFor(f, recent).ifPresent(joined -> joins.add(String.format("%.2f %s -> %s: %.30s", recent.stream()
                    .filter(s -> s.incidentId().equals(joined)).mapToDouble(s -> s.fingerprint().similarity(f)).max().orElse(0),
                    o.name(), joined, o.text())));
        }
        System.out.println("CED originals: " + originals.size() + "; joined by the default grouping: " + joins.size());
        joins.forEach(j -> System.out.println("  " + j));
        assertEquals(8, joins.size(), "the eight retold stories, read one by one");
    }
}
