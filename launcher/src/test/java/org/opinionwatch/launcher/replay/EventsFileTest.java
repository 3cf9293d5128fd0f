package org.opinionwatch.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.launcher.pipeline.OutputEvent;

/** The events file a replay writes ({@link Replay#writeJsonLines}): one event per line, as analysts diff and grep it. */
class EventsFileTest {
    @TempDir
    Path dir;

    @Test
    void eachEventIsOneLineWithItsTopicKeyAndTimeAndItsCharactersAsTheyAre() throws IOException {
        // As a stage writes them: Jackson's UTF-8 output escapes characters beyond the basic plane (an emoji in a title).
        byte[] change = "{\"schema\":\"severity-change/1\",\"title\":\"\\uD83D\\uDC93好多妈妈\\n\",\"views\":1.5E7}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] tracking = "{\"trend\":\"RISING\",\"duties\":[]}".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("events.jsonl");

        Replay.writeJsonLines(List.of(new OutputEvent("incidents.severity", "i-1", Instant.parse("2014-05-01T08:00:00Z"), change),
                new OutputEvent("tracking", "i-1", Instant.parse("2014-05-01T09:00:00Z"), tracking)), file);

        assertEquals(List.of(
                "{\"topic\":\"incidents.severity\",\"key\":\"i-1\",\"time\":\"2014-05-01T08:00:00Z\",\"event\":"
                        + "{\"schema\":\"severity-change/1\",\"title\":\"💓好多妈妈\\n\",\"views\":1.5E7}}",
                "{\"topic\":\"tracking\",\"key\":\"i-1\",\"time\":\"2014-05-01T09:00:00Z\",\"event\":{\"trend\":\"RISING\",\"duties\":[]}}"),
                Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Half of a surrogate pair has no UTF-8: the file is not written with a '?' in its place. */
    @Test
    void aCharacterUtf8CannotEncodeIsAnErrorNotAQuestionMark() {
        byte[] half = "{\"title\":\"\\uD83D好\"}".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("events.jsonl");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Replay.writeJsonLines(
                List.of(new OutputEvent("incidents.severity", "i-1", Instant.parse("2014-05-01T08:00:00Z"), half)), file));

        assertTrue(e.getMessage().startsWith("cannot write " + file), e.getMessage());
    }
}
