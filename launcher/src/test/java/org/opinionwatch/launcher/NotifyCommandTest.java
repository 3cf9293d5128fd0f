package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void aWebhookWithoutItsSecretStopsTheCommandBeforeAnythingRuns() throws IOException {
        Path config = dir.resolve("notify.yaml");
        Files.writeString(config, """
                notifier:
                  webhooks:
                    OFFICE: { url: "https://hooks.example.edu/office" }
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            // No --bootstrap: were the secret checked late, an embedded broker would be started first.
            exit = Main.run("notify", "--config", config.toString());
        } finally {
            System.setErr(stderr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, message);
        assertTrue(message.contains("opinion-watch notify: key 'notifier.webhooks.OFFICE.secret' must be set")
                && message.contains("OW_NOTIFIER_WEBHOOKS_OFFICE_SECRET"), message);
    }
}
