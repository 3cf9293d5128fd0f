package org.opinionwatch.contract.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Every kind of field comes back as it was written; a record of another kind, or cut short, fails and says why. */
class CompactSerdeTest {
    /** One field of each kind. */
    record Sample(boolean flag, long number, String text, List<String> texts, Instant at, byte[] raw) {
    }

    private static final CompactSerde.Format<Sample> FORMAT = new CompactSerde.Format<>() {
        @Override
        public void write(Sample s, CompactSerde.Writer out) {
            out.bool(s.flag());
            out.number(s.number());
            out.text(s.text());
            out.texts(s.texts());
            out.instant(s.at());
            out.bytes(s.raw());
        }

        @Override
        public Sample read(CompactSerde.Reader in) {
            return new Sample(in.bool(), in.number(), in.text(), in.texts(), in.instant(), in.bytes());
        }
    };

    private static final CompactSerde<Sample> SERDE = new CompactSerde<>("sample/2", FORMAT, new JsonSerde<>(Sample.class, "sample/1"));

    private static Sample roundTrip(Sample s) {
        return SERDE.deserialize("t", SERDE.serialize("t", s));
    }

    private static void assertSame(Sample expected, Sample actual) {
        assertEquals(expected.flag(), actual.flag());
        assertEquals(expected.number(), actual.number());
        assertEquals(expected.text(), actual.text());
        assertEquals(expected.texts(), actual.texts());
        assertEquals(expected.at(), actual.at());
        assertArrayEquals(expected.raw(), actual.raw());
    }

    @Test
    void aRecordLargerThanARecordMayBeIsNotWritten() {
        Sample large = new Sample(true, 1, "x".repeat(1_000_001), List.of(), null, new byte[0]);
        SerializationException e = assertThrows(SerializationException.class, () -> SERDE.serialize("t", large));
        assertTrue(e.getMessage().matches("cannot write sample/2: \\d+ bytes, more than the 1000000 a record may have"), e.getMessage());
    }

    @Test
    void everyFieldComesBackAsWritten() {
        for (long n : new long[] {0, 1, -1, 63, 64, -64, -65, 127, 128, 300, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            Sample s = new Sample(n % 2 == 0, n, "學校食堂 canteen 😀", List.of("", "a", "宿舍"), Instant.ofEpochSecond(n % 100_000_000_000L, 123_456_789),
                    new byte[] {0, 1, (byte) 255});
            assertSame(s, roundTrip(s));
        }
        Sample empty = new Sample(false, 0, null, List.of(), null, new byte[0]);
        assertSame(empty, roundTrip(empty));
        Sample before1970 = new Sample(true, 5, "", List.of(), Instant.parse("1969-12-31T23:59:59.999Z"), new byte[0]);
        assertSame(before1970, roundTrip(before1970));
        assertNull(SERDE.serialize("t", null));
        assertNull(SERDE.deserialize("t", null));
    }

    @Test
    void itNamesItsFormatFirstAndIsSmallerThanTheJson() {
        Sample s = new Sample(true, 1_733_000_000_000L, "宿舍漏水三天没人修", List.of("outlet"), Instant.parse("2024-06-03T14:00:00Z"), new byte[0]);
        byte[] bytes = SERDE.serialize("t", s);
        assertEquals(0, bytes[0]);
        assertEquals("sample/2", new String(bytes, 2, bytes[1], StandardCharsets.US_ASCII));
        assertTrue(bytes.length * 2 < new JsonSerde<>(Sample.class, "sample/1").serialize("t", s).length,
                bytes.length + " bytes against the JSON's");
    }

    @Test
    void theJsonOfAnEarlierSchemaIsRead() {
        byte[] json = "{\"schema\":\"sample/1\",\"flag\":true,\"number\":7,\"text\":\"x\",\"texts\":[\"a\"],\"at\":\"2024-06-03T14:00:00Z\",\"raw\":\"AAE=\"}"
                .getBytes(StandardCharsets.UTF_8);
        Sample s = SERDE.deserialize("t", json);
        assertEquals(7, s.number());
        assertEquals(List.of("a"), s.texts());
        assertEquals(Instant.parse("2024-06-03T14:00:00Z"), s.at());
    }

    @Test
    void anythingElseFailsWithWhatItFound() {
        byte[] good = SERDE.serialize("t", new Sample(true, 300, "text", List.of("a", "b"), Instant.EPOCH, new byte[] {9}));
        CompactSerde<Sample> other = new CompactSerde<>("other/1", FORMAT, new JsonSerde<>(Sample.class, "other/0"));
        String message = assertThrows(SerializationException.class, () -> other.deserialize("t", good)).getMessage();
        assertTrue(message.contains("expected a record of other/1") && message.contains("found a record of sample/2"), message);

        message = assertThrows(SerializationException.class, () -> SERDE.deserialize("t", "plain text".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(message.contains("10 bytes of something else"), message);

        for (int cut = good.length - 1; cut > 2 + "sample/2".length(); cut--) {
            byte[] shorter = Arrays.copyOf(good, cut);
            message = assertThrows(SerializationException.class, () -> SERDE.deserialize("t", shorter), "cut at " + cut).getMessage();
            assertTrue(message.startsWith("invalid sample/2: "), message);
        }

        byte[] longer = Arrays.copyOf(good, good.length + 1);
        message = assertThrows(SerializationException.class, () -> SERDE.deserialize("t", longer)).getMessage();
        assertTrue(message.contains("1 bytes after its last field"), message);

        byte[] badBoolean = good.clone();
        badBoolean[2 + "sample/2".length()] = 7;
        message = assertThrows(SerializationException.class, () -> SERDE.deserialize("t", badBoolean)).getMessage();
        assertTrue(message.contains("a boolean of 7"), message);

        byte[] hugeLength = good.clone();
        hugeLength[2 + "sample/2".length() + 3] = 0x7E; // the text's length: 63 bytes, in a record shorter than that
        message = assertThrows(SerializationException.class, () -> SERDE.deserialize("t", hugeLength)).getMessage();
        assertTrue(message.contains("a length of 63"), message);

        message = assertThrows(SerializationException.class, () -> SERDE.deserialize("t", "{\"schema\":\"sample/0\"}".getBytes(StandardCharsets.UTF_8)))
                .getMessage();
        assertTrue(message.contains("schema \"sample/0\""), message);
    }
}
