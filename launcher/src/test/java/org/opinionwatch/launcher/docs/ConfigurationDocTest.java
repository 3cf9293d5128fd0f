package org.opinionwatch.launcher.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;

/**
 * docs/configuration.md names every setting of the bundled defaults once, with its default and its environment
 * variable as the loader has them (none for a list or a free-form mapping), and names no setting that does not exist.
 */
class ConfigurationDocTest {
    /** A row of the reference: key, default, variable, meaning. */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]*)` \\| (`[^`]+`|—) \\| (.+) \\|$");

    @Test
    void everySettingIsDocumentedWithItsDefaultAndVariable() throws IOException {
        Map<String, JsonNode> settings = Docs.settings();
        Map<String, String[]> documented = new LinkedHashMap<>();
        List<String> twice = new ArrayList<>();
        for (String line : Files.readAllLines(Docs.ROOT.resolve("docs/configuration.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches() && documented.put(row.group(1), new String[] {row.group(2), row.group(3), row.group(4)}) != null) {
                twice.add(row.group(1));
            }
        }
        assertEquals(List.of(), twice, "settings documented twice");
        List<String> undocumented = settings.keySet().stream().filter(k -> !documented.containsKey(k)).toList();
        List<String> unknown = documented.keySet().stream().filter(k -> !settings.containsKey(k)).toList();
        assertEquals(List.of(), undocumented, "settings of opinion-watch-defaults.yaml missing from docs/configuration.md");
        assertEquals(List.of(), unknown, "docs/configuration.md documents settings that do not exist");
        for (var setting : settings.entrySet()) {
            String[] row = documented.get(setting.getKey());
            assertEquals(Docs.render(setting.getValue()), row[0], "the default of " + setting.getKey());
            // The environment sets single values; a list or a free-form mapping is given in a file.
            boolean single = !setting.getValue().isContainerNode();
            assertEquals(single ? "`" + ConfigLoader.envName(setting.getKey()) + "`" : "—", row[1], "the variable of " + setting.getKey());
            assertTrue(row[2].strip().length() > 3, "what " + setting.getKey() + " means");
        }
    }
}
