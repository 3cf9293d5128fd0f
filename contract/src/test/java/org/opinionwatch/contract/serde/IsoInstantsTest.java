package org.opinionwatch.contract.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    record Stamped(Instant at) {
    }

    @Test
    void writesWhatInstantToStringWritesAndReadsItBack() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000 to 9999
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            String text = IsoInstants.format(instant);
            assertEquals(instant.toString(), text);
            assertEquals(instant, IsoInstants.parse(text), text);
        }
    }

    @Test
    void readsFractionsOfAnyLengthAsInstantParseDoes() {
        for (String text : List.of("2024-05-01T09:00:05Z", "2024-05-01T09:00:05.1Z", "2024-05-01T09:00:05.12Z",
                "2024-05-01T09:00:05.1234Z", "2024-05-01T09:00:05.123456789Z", "2024-02-29T23:59:59.5Z", "0000-01-01T00:00:00Z")) {
            assertEquals(Instant.parse(text), IsoInstants.parse(text), text);
        }
    }

    @Test
    void leavesEverythingElseToJacksonsTimeModule() throws Exception {
        for (String text : List.of("2024-05-01T09:00:05+08:00", "2024-02-30T00:00:00Z", "2024-05-01T24:00:00Z",
                "2024-05-01 09:00:05Z", "2024-05-01T09:00:05.Z", "+12024-05-01T09:00:05Z", "2024-05-01T09:00:05")) {
            assertNull(IsoInstants.parse(text), text);
        }
        // The time module still reads what it read before: an offset, epoch seconds ...
        assertEquals(Instant.parse("2024-05-01T01:00:05Z"), Json.STRICT.readValue("{\"at\":\"2024-05-01T09:00:05+08:00\"}", Stamped.class).at());
        assertEquals(Instant.ofEpochSecond(1_714_554_005L), Json.STRICT.readValue("{\"at\":1714554005}", Stamped.class).at());
        // ... and refuses what it refused, with its message.
        assertThrows(JsonMappingException.class, () -> Json.STRICT.readValue("{\"at\":\"2024-02-30T00:00:00Z\"}", Stamped.class));
        assertEquals("{\"at\":\"+12024-05-01T09:00:05Z\"}", Json.TOLERANT.writeValueAsString(new Stamped(Instant.parse("+12024-05-01T09:00:05Z"))));
        assertEquals("{\"at\":\"2024-05-01T09:00:05.120Z\"}", Json.TOLERANT.writeValueAsString(new Stamped(Instant.parse("2024-05-01T09:00:05.12Z"))));
    }
}
