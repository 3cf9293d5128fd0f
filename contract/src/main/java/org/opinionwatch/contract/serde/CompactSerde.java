package org.opinionwatch.contract.serde;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.opinionwatch.contract.event.PostRef;

/**
 * The serde of a value a stage keeps for itself and writes at nearly every record (a store's values, hence its
 * changelog), where writing JSON's field names and number text costs more than the work the value is for. Like
 * {@link JsonSerde}'s records, each names its format first: a zero byte (never the first byte of a JSON document), the
 * schema's length and its name, then the fields in the order its {@link Format} writes them. A value an earlier release
 * wrote as JSON is read by the JSON serde given for it; anything else fails with a message that says what it found.
 * Never on the contract's topics, whose readers are other programs: they stay JSON.
 */
public final class CompactSerde<T> implements SelfSerde<T> {
    /** How one type's fields are laid out: written and read in the same order. */
    public interface Format<T> {
        void write(T value, Writer out);

        T read(Reader in);
    }

    private final String schema;
    private final byte[] header;
    private final Format<T> format;
    private final JsonSerde<T> earlier;

    /**
     * @param schema this format's name and version, as a JSON record's {@code "schema"} gives them
     * @param earlier reads the JSON records of earlier schemas (which it {@link JsonSerde#reads})
     */
    public CompactSerde(String schema, Format<T> format, JsonSerde<T> earlier) {
        byte[] name = schema.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 127) {
            throw new IllegalArgumentException("a schema name of at most 127 characters: " + schema);
        }
        this.schema = schema;
        this.format = format;
        this.earlier = java.util.Objects.requireNonNull(earlier, "the JSON serde of the earlier versions");
        this.header = new byte[2 + name.length];
        header[1] = (byte) name.length;
        System.arraycopy(name, 0, header, 2, name.length);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Writer out = new Writer(header);
        format.write(data, out);
        return SelfSerde.withinRecordLimit(schema, out.toArray());
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == '{') {
            return earlier.deserialize(topic, data);
        }
        if (data.length < header.length || !Arrays.equals(data, 0, header.length, header, 0, header.length)) {
            throw new SerializationException("expected a record of " + schema + " or JSON of " + earlier.reads() + ", found " + found(data));
        }
        Reader in = new Reader(data, header.length);
        T value;
        try {
            value = format.read(in);
        } catch (RuntimeException e) {
            throw new SerializationException("invalid " + schema + ": " + e.getMessage(), e);
        }
        if (in.position != data.length) {
            throw new SerializationException("invalid " + schema + ": " + (data.length - in.position) + " bytes after its last field");
        }
        return value;
    }

    /** What a record that is neither names: its schema, if it has the form of one. */
    private static String found(byte[] data) {
        if (data.length >= 2 && data[0] == 0 && data[1] > 0 && data.length >= 2 + data[1]) {
            return "a record of " + new String(data, 2, data[1], StandardCharsets.US_ASCII);
        }
        return data.length + " bytes of something else";
    }

    /** Writes fields into a growing array. */
    public static final class Writer {
        private byte[] buf;
        private int size;

        private Writer(byte[] header) {
            buf = Arrays.copyOf(header, Math.max(256, header.length * 4));
            size = header.length;
        }

        private void room(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        public void bool(boolean value) {
            room(1);
            buf[size++] = (byte) (value ? 1 : 0);
        }

        /** Any long, in one to ten bytes: small ones, of either sign, in few. */
        public void number(long value) {
            long v = (value << 1) ^ (value >> 63);
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        /** A text or null. */
        public void text(String value) {
            if (value == null) {
                number(-1);
                return;
            }
            bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        /** Bytes, not null, with their length. */
        public void bytes(byte[] value) {
            number(value.length);
            room(value.length);
            System.arraycopy(value, 0, buf, size, value.length);
            size += value.length;
        }

        /** Whether {@code value} is there, written as a boolean: the fields of a value that may be absent follow it only if it is. */
        public boolean present(Object value) {
            bool(value != null);
            return value != null;
        }

        public void texts(List<String> values) {
            list(values, Writer::text);
        }

        /** A reference to a post or null: its id, link and title. */
        public void postRef(PostRef value) {
            if (present(value)) {
                text(value.id());
                text(value.url());
                text(value.title());
            }
        }

        /** A constant or null, by its name: a release that reorders an enum's constants still reads it. */
        public void constant(Enum<?> value) {
            text(value == null ? null : value.name());
        }

        /** A list, not null, each element as {@code element} writes it. */
        public <E> void list(List<E> values, BiConsumer<Writer, E> element) {
            number(values.size());
            for (E value : values) {
                element.accept(this, value);
            }
        }

        /** An instant or null, to the nanosecond. */
        public void instant(Instant value) {
            if (present(value)) {
                number(value.getEpochSecond());
                number(value.getNano());
            }
        }

        private byte[] toArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Reads fields in the order they were written; a record cut short fails. */
    public static final class Reader {
        private final byte[] buf;
        private int position;

        private Reader(byte[] buf, int position) {
            this.buf = buf;
            this.position = position;
        }

        private byte next() {
            if (position >= buf.length) {
                throw new IllegalArgumentException("cut short after " + buf.length + " bytes");
            }
            return buf[position++];
        }

        public boolean bool() {
            byte b = next();
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("a boolean of " + b + " at byte " + (position - 1));
            }
            return b == 1;
        }

        public long number() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = next();
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return (v >>> 1) ^ -(v & 1);
                }
            }
            throw new IllegalArgumentException("a number longer than ten bytes at byte " + position);
        }

        /** A number that must fit an int and not be negative: a length, a count, an index. */
        public int count() {
            long n = number();
            if (n < 0 || n > buf.length) {
                throw new IllegalArgumentException("a count of " + n + " in a record of " + buf.length + " bytes");
            }
            return (int) n;
        }

        public String text() {
            long n = number();
            if (n == -1) {
                return null;
            }
            int length = lengthOf(n);
            String s = new String(buf, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }

        public byte[] bytes() {
            int length = lengthOf(number());
            byte[] out = Arrays.copyOfRange(buf, position, position + length);
            position += length;
            return out;
        }

        private int lengthOf(long n) {
            if (n < 0 || n > buf.length - position) {
                throw new IllegalArgumentException("a length of " + n + " at byte " + position + " of " + buf.length);
            }
            return (int) n;
        }

        public List<String> texts() {
            return list(Reader::text);
        }

        public Instant instant() {
            return bool() ? Instant.ofEpochSecond(number(), number()) : null;
        }

        public PostRef postRef() {
            return bool() ? new PostRef(text(), text(), text()) : null;
        }

        /** A constant of {@code type} or null; a name it does not have fails. */
        public <E extends Enum<E>> E constant(Class<E> type) {
            String name = text();
            return name == null ? null : Enum.valueOf(type, name);
        }

        /** A list, each element as {@code element} reads it. */
        public <E> List<E> list(Function<Reader, E> element) {
            int n = count();
            List<E> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                out.add(element.apply(this));
            }
            return out;
        }
    }
}
