package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The joined-stories store names its format, and still reads the bare incident ids it held before it did. */
class JoinedStoryTest {
    @Test
    void aJoinIsWrittenWithItsSchemaAndReadBack() {
        byte[] written = JoinedStory.SERDE.serializer().serialize("t", new JoinedStory("bbs.example.edu/t/40"));
        assertEquals("{\"schema\":\"classifier-joined-story/1\",\"incidentId\":\"bbs.example.edu/t/40\"}",
                new String(written, StandardCharsets.UTF_8));
        assertEquals(new JoinedStory("bbs.example.edu/t/40"), JoinedStory.SERDE.deserializer().deserialize("t", written));
    }

    @Test
    void aBareIncidentIdOfThePreviousFormatIsRead() {
        byte[] previous = "bbs.example.edu/t/40".getBytes(StandardCharsets.UTF_8);
        assertEquals(new JoinedStory("bbs.example.edu/t/40"), JoinedStory.SERDE.deserializer().deserialize("t", previous));
        assertNull(JoinedStory.SERDE.deserializer().deserialize("t", null), "a deletion");
    }
}
