package org.opinionwatch.contract.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/kafka-security.md names every security setting of the defaults with the environment variable that sets it. */
class KafkaSecurityDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(kafka\\.[A-Za-z.]+)` \\| `(OW_[A-Z_]+)` \\|", Pattern.MULTILINE);

    @Test
    void theTableListsEverySecurityKeyWithItsVariable() throws IOException {
        JsonNode defaults;
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream("opinion-watch-defaults.yaml")) {
            defaults = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<String> keys = new ArrayList<>(List.of("kafka.bootstrapServers"));
        leaves(defaults.path("kafka").path("security"), "kafka.security", keys);

        List<String> documented = new ArrayList<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("..", "docs", "kafka-security.md")));
        while (row.find()) {
            assertEquals(ConfigLoader.envName(row.group(1)), row.group(2), "the variable of " + row.group(1));
            documented.add(row.group(1));
        }
        assertEquals(keys, documented, "the table's keys, in the defaults' order");
        assertTrue(keys.size() > 10, keys.toString());
    }

    private static void leaves(JsonNode node, String path, List<String> keys) {
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                leaves(field.getValue(), path + "." + field.getKey(), keys);
            } else {
                keys.add(path + "." + field.getKey());
            }
        });
    }
}
