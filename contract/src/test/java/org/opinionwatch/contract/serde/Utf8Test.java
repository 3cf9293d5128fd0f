package org.opinionwatch.contract.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void textInEveryLengthOfSequenceIsWellFormed() {
        assertTrue(Utf8.isWellFormed(new byte[0]));
        assertTrue(Utf8.isWellFormed("{\"title\":\"食堂涨价 學生不滿 é 😀\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Utf8.isWellFormed(bytes("F4 8F BF BF")), "U+10FFFF, the last code point");
        assertTrue(Utf8.isWellFormed(bytes("EE 80 80")), "U+E000, just past the surrogates");
    }

    @Test
    void whatRfc3629ForbidsIsNot() {
        for (String bad : new String[] {
            "80", "BF", // a continuation byte alone
            "C0 80", "C1 BF", "E0 9F BF", "F0 8F BF BF", // overlong forms
            "ED A0 80", "ED BF BF", // surrogates
            "F4 90 80 80", "F5 80 80 80", "FF", // beyond U+10FFFF
            "E4 B8", "F0 9F 98", "C3", // cut short
            "E4 41 AD", "F0 9F 41 80", "C3 41", // a continuation byte missing
        }) {
            assertFalse(Utf8.isWellFormed(bytes("41 " + bad + " 41")), bad);
        }
    }

    /** The check agrees with the JDK's strict decoder on every input, random bytes biased to UTF-8's leads and ranges. */
    @Test
    void agreesWithTheStrictDecoder() {
        Random random = new Random(7);
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE4,
            0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int run = 0; run < 200_000; run++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextInt(256));
            }
            assertEquals(strictlyDecodes(b), Utf8.isWellFormed(b), HexFormat.ofDelimiter(" ").formatHex(b));
        }
    }

    private static boolean strictlyDecodes(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(String hex) {
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }
}
