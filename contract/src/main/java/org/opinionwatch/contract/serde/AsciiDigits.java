package org.opinionwatch.contract.serde;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Numbers, dates and times read from fixed-width fields of ASCII digits, as the contract's instants and archives' dates
 * are written: without a general parser's cost, which reading every instant or every date of an archive would pay.
 */
public final class AsciiDigits {
    /** What {@link #localSeconds} gives for text that is no date and time. */
    public static final long NOT_A_TIME = Long.MIN_VALUE;

    private AsciiDigits() {
    }

    /** The number {@code text} writes in the {@code width} characters from {@code at}, all ASCII digits; else -1. */
    public static int read(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * The date and time {@code text} writes in its first 19 characters, uuuu-MM-dd, {@code separator}, HH:mm:ss, as
     * seconds from 1970-01-01T00:00 on the same clock; {@link #NOT_A_TIME} for other text, or for a date or time there
     * is not (the 30th of February, 24:00).
     */
    public static long localSeconds(String text, char separator) {
        if (text.length() < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != separator
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return NOT_A_TIME;
        }
        int year = read(text, 0, 4);
        int month = read(text, 5, 2);
        int day = read(text, 8, 2);
        int hour = read(text, 11, 2);
        int minute = read(text, 14, 2);
        int second = read(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return NOT_A_TIME;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second;
    }
}
