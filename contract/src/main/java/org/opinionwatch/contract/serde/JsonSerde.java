package org.opinionwatch.contract.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.SerializationException;
import org.opinionwatch.contract.event.Limits;

/**
 * The one JSON serde of the wire contract. Every event names its schema ({@code "schema": "post/1"}): the serde
 * writes that field first and checks it on reading, so a record of the wrong type or of an unknown major version
 * fails with a message that says so. The records themselves know nothing of it. No record it writes is larger than
 * {@link Limits#RECORD_BYTES}.
 */
public final class JsonSerde<T> implements SelfSerde<T> {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    private final Class<T> type;
    private final String schema;
    private final ObjectMapper mapper;
    private final byte[] schemaPrefix;
    private final String schemaPrefixText;
    private final ObjectReader reader;
    /** Earlier schemas of the type that are still read, each with how its document becomes one of this schema. */
    private final Map<String, UnaryOperator<ObjectNode>> upgrades;

    public JsonSerde(Class<T> type, String schema, ObjectMapper mapper) {
        this(type, schema, mapper, Map.of());
    }

    private JsonSerde(Class<T> type, String schema, ObjectMapper mapper, Map<String, UnaryOperator<ObjectNode>> upgrades) {
        this.upgrades = Map.copyOf(upgrades);
        this.type = type;
        this.schema = schema;
        this.mapper = mapper;
        this.schemaPrefixText = "{\"schema\":\"" + schema + "\"";
        this.schemaPrefix = schemaPrefixText.getBytes(StandardCharsets.UTF_8);
        this.reader = mapper.readerFor(type);
    }

    public JsonSerde(Class<T> type, String schema) {
        this(type, schema, Json.TOLERANT);
    }

    /**
     * This serde reading documents of an earlier schema too, turned into this one by {@code upgrade} (which gets the
     * document without its schema field), so that a release reads what the previous one wrote.
     */
    public JsonSerde<T> reading(String earlierSchema, UnaryOperator<ObjectNode> upgrade) {
        Map<String, UnaryOperator<ObjectNode>> more = new java.util.HashMap<>(upgrades);
        more.put(earlierSchema, upgrade);
        return new JsonSerde<>(type, schema, mapper, more);
    }

    public String schema() {
        return schema;
    }

    /** Every schema this serde reads: its own, and the earlier ones it turns into its own ({@link #reading}). */
    public java.util.SortedSet<String> reads() {
        java.util.SortedSet<String> all = new java.util.TreeSet<>(upgrades.keySet());
        all.add(schema);
        return all;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        return stamp(object(data));
    }

    /** The value as a JSON object without its schema: to {@link #stamp}, or to go nested into another record. */
    public byte[] object(T data) {
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * The record of a value already written as a JSON object by this serde's mapper, without its schema: what
     * {@link #serialize} gives for that value. For a value that also goes, nested, into another record, so that it is
     * written once for both.
     */
    public byte[] stamp(byte[] object) {
        return SelfSerde.withinRecordLimit(schema, stamped(object));
    }

    /** {"a":1} becomes {"schema":"x/1","a":1}: the schema leads, and costs no second pass over the record. */
    private byte[] stamped(byte[] object) {
        if (object.length < 2 || object[0] != '{') {
            throw new SerializationException("cannot write " + schema + ": " + type.getSimpleName() + " is not a JSON object");
        }
        boolean empty = object.length == 2;
        byte[] out = new byte[schemaPrefix.length + (empty ? 1 : object.length)];
        System.arraycopy(schemaPrefix, 0, out, 0, schemaPrefix.length);
        if (empty) {
            out[schemaPrefix.length] = '}';
        } else {
            out[schemaPrefix.length] = ',';
            System.arraycopy(object, 1, out, schemaPrefix.length + 1, object.length - 1);
        }
        return out;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (startsWithSchema(data)) {
            // As this serde wrote it: the schema is checked by the prefix, and the rest is read in one pass.
            if (data[schemaPrefix.length] == '}') {
                return read(EMPTY_OBJECT, null);
            }
            byte[] rest = new byte[data.length - schemaPrefix.length];
            rest[0] = '{';
            System.arraycopy(data, schemaPrefix.length + 1, rest, 1, rest.length - 1);
            return read(rest, null);
        }
        return parse(new String(data, StandardCharsets.UTF_8));
    }

    /**
     * Whether a record begins with this serde's schema, as every producer of the contract writes it: how a reader of a
     * topic that carries two kinds of record (posts.raw: posts and heartbeats) tells them apart without parsing.
     */
    public boolean hasOwnSchema(byte[] data) {
        return data != null && startsWithSchema(data);
    }

    private boolean startsWithSchema(byte[] data) {
        return data.length > schemaPrefix.length && (data[schemaPrefix.length] == ',' || data[schemaPrefix.length] == '}')
                && java.util.Arrays.equals(data, 0, schemaPrefix.length, schemaPrefix, 0, schemaPrefix.length);
    }

    /** One of the two: the bytes of a document or its text. */
    private T read(byte[] bytes, String text) {
        try {
            return bytes != null ? reader.readValue(bytes) : reader.readValue(text);
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            throw new SerializationException("malformed JSON: " + oneLine(e), e);
        } catch (IOException e) {
            throw new SerializationException("invalid " + schema + ": " + oneLine(e), e);
        }
    }

    /**
     * Parses one JSON document; the exception message is the reason a person reads in a dead letter. A document that
     * starts with its schema, as this serde writes them, is read in one pass; any other is read as a tree first, so
     * that a missing or wrong schema is named wherever it stands.
     */
    public T parse(String json) {
        if (json.length() > schemaPrefixText.length() && json.startsWith(schemaPrefixText)
                && (json.charAt(schemaPrefixText.length()) == ',' || json.charAt(schemaPrefixText.length()) == '}')) {
            return json.charAt(schemaPrefixText.length()) == '}' ? read(EMPTY_OBJECT, null)
                    : read(null, "{" + json.substring(schemaPrefixText.length() + 1));
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new SerializationException("malformed JSON: " + oneLine(e), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new SerializationException("expected a JSON object with \"schema\": \"" + schema + "\"");
        }
        JsonNode declared = tree.get("schema");
        if (declared == null || !declared.isTextual()) {
            throw new SerializationException("missing \"schema\" field, expected \"" + schema + "\"");
        }
        UnaryOperator<ObjectNode> upgrade = upgrades.get(declared.asText());
        if (!declared.asText().equals(schema) && upgrade == null) {
            throw new SerializationException("schema \"" + declared.asText() + "\" where \"" + schema + "\" was expected");
        }
        ((ObjectNode) tree).remove("schema");
        if (upgrade != null) {
            tree = upgrade.apply((ObjectNode) tree);
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (IOException e) {
            throw new SerializationException("invalid " + schema + ": " + oneLine(e), e);
        }
    }

    private static String oneLine(IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && cause instanceof IllegalArgumentException) {
            message = cause.getMessage();
        }
        String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException jme ? jme.getPathReference() : null;
        String where = path == null || path.isEmpty() ? "" : " (at " + path.replace("org.opinionwatch.contract.event.", "") + ")";
        return (message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ')) + where;
    }
}
