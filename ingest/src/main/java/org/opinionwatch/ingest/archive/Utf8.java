package org.opinionwatch.ingest.archive;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: Java's default replaces bad bytes silently, but a reader must reject them. */
final class Utf8 {
    private Utf8() {
    }

    /** Thrown for bytes that are not UTF-8; {@link #offset} is where the first bad byte is. */
    static final class InvalidUtf8Exception extends Exception {
        final int offset;

        InvalidUtf8Exception(int offset) {
            super("not valid UTF-8 (first bad byte at offset " + offset + ")");
            this.offset = offset;
        }
    }

    static String decode(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8Exception(in.position() - offset); // the decoder stops at the malformed sequence
        }
    }

    /** The lenient decoding (bad bytes become U+FFFD), to show a rejected input to a person. */
    static String decodeLeniently(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
