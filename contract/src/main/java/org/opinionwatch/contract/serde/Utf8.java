package org.opinionwatch.contract.serde;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), checked
 * in place: a reader that parses JSON from the bytes themselves need not decode them into a string only to know that.
 * It accepts exactly what a strict {@link java.nio.charset.CharsetDecoder} for UTF-8 accepts.
 */
public final class Utf8 {
    private Utf8() {
    }

    public static boolean isWellFormed(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) { // ASCII, the most of a post's JSON
                i++;
                continue;
            }
            b &= 0xFF;
            if (b < 0xC2 || b > 0xF4) { // a continuation byte, an overlong two-byte lead, or beyond U+10FFFF
                return false;
            }
            int length = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            if (i + length > n) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            // The second byte's range decides overlong forms, surrogates and the upper bound (RFC 3629, section 4).
            int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
            int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
