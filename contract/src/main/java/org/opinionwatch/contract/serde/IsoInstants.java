package org.opinionwatch.contract.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants on the wire as {@link Instant#toString()} writes them ({@code 2024-05-01T09:00:05.120Z}, ISO-8601 in UTC,
 * the fraction in groups of three digits as needed), written and read without {@code DateTimeFormatter}, which
 * costs a stage much of its thread when every event and state carries several instants (its commit has the figures). The text is the very text Jackson's Java time module writes; anything else on reading (an
 * offset, a number, a year past 9999, a malformed date) is left to that module, so what it accepted and the errors
 * it gave stay as they were.
 */
final class IsoInstants {
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private IsoInstants() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("iso-instants");
        module.addSerializer(Instant.class, new Writer());
        module.addDeserializer(Instant.class, new Reader());
        return module;
    }

    /** {@link Instant#toString()} for the years 0000 to 9999. */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return instant.toString();
        }
        int nano = instant.getNano();
        char[] out = new char[nano == 0 ? 20 : nano % 1_000_000 == 0 ? 24 : nano % 1000 == 0 ? 27 : 30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (nano != 0) {
            out[19] = '.';
            int places = out.length - 21;
            digits(out, 20, nano / POWERS_OF_TEN[9 - places], places);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /**
     * The instant of text in exactly the form {@link #format} writes (the fraction of any length up to nine digits),
     * or null for any other text.
     */
    static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z' || n > 20 && text.charAt(19) != '.') {
            return null;
        }
        long seconds = AsciiDigits.localSeconds(text, 'T');
        int fraction = n > 20 ? AsciiDigits.read(text, 20, n - 21) : 0;
        if (seconds == AsciiDigits.NOT_A_TIME || fraction < 0) {
            return null;
        }
        return Instant.ofEpochSecond(seconds, n > 20 ? fraction * POWERS_OF_TEN[9 - (n - 21)] : 0);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final class Writer extends StdSerializer<Instant> {
        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    private static final class Reader extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant instant = parse(p.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
