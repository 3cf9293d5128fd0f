package org.opinionwatch.contract.serde;

/**
 * Numbers written into state-store keys so that the keys sort as the numbers do (stores order keys by their bytes).
 * These run for every record on the hot path, where {@code String.format} cost a seventh of the classifier's time;
 * the output is exactly what {@code String.format("%019d")} and {@code String.format("%016x")} gave, so keys in
 * existing stores keep their order.
 */
public final class SortableKeys {
    private static final String ZEROS = "0000000000000000000";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SortableKeys() {
    }

    /** Zero-padded to 19 digits: sorts by value for every value that is not negative (instants since 1970). */
    public static String decimal(long value) {
        if (value < 0) {
            return String.format("%019d", value); // before 1970: never on the hot path, and kept as it always was
        }
        String digits = Long.toString(value);
        return ZEROS.substring(digits.length()) + digits;
    }

    /** 16 hex digits of the value with its sign bit flipped: sorts by value for every long, negative ones too. */
    public static String hex(long value) {
        long v = value ^ Long.MIN_VALUE;
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(out);
    }
}
