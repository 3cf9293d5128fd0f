package org.opinionwatch.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.notifier.webhook.Endpoint;

/** The webhook config of docs/webhooks.md is one that really loads, with its secrets from the variables it names. */
class WebhooksDocExampleTest {
    @TempDir
    Path dir;

    private Path docExample() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "webhooks.md"));
        int section = doc.indexOf("## Configuring");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        Path file = dir.resolve("notifier.yaml");
        Files.writeString(file, doc.substring(start, doc.indexOf("```", start)));
        return file;
    }

    @Test
    void theExampleLoadsWithItsSecretsFromTheEnvironment() throws IOException {
        OpinionWatchConfig config = ConfigLoader.load(docExample(), Map.of(
                "OW_NOTIFIER_WEBHOOKS_OFFICE_SECRET", "office-secret-0123456789",
                "OW_NOTIFIER_WEBHOOKS_LEADERSHIP_GROUP_SECRET", "leadership-secret-0123456789"));
        assertEquals(Duration.ofMinutes(5), config.notifier().maxBackoff());
        Map<Role, Endpoint> endpoints = Endpoint.of(config.notifier().webhooks());
        assertEquals(Set.of(Role.OFFICE, Role.LEADERSHIP_GROUP), endpoints.keySet());
        assertEquals("leadership-secret-0123456789", endpoints.get(Role.LEADERSHIP_GROUP).secret());
    }

    @Test
    void withoutItsSecretsTheNotifierDoesNotStart() throws IOException {
        OpinionWatchConfig config = ConfigLoader.load(docExample(), Map.of("OW_NOTIFIER_WEBHOOKS_OFFICE_SECRET", "office-secret-0123456789"));
        ConfigException e = assertThrows(ConfigException.class, () -> Notifier.start(config, null));
        assertTrue(e.getMessage().contains("OW_NOTIFIER_WEBHOOKS_LEADERSHIP_GROUP_SECRET"), e.getMessage());
    }
}
