package org.opinionwatch.contract.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one JSON serde of the wire contract. Every event names its schema ({@code "schema": "post/1"}); reading
 * checks it, so a record of the wrong type or of an unknown major version fails with a message that says so.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Class<T> type;
    private final String schema;
    private final ObjectMapper mapper;

    public JsonSerde(Class<T> type, String schema, ObjectMapper mapper) {
        this.type = type;
        this.schema = schema;
        this.mapper = mapper;
    }

    public JsonSerde(Class<T> type, String schema) {
        this(type, schema, Json.TOLERANT);
    }

    public String schema() {
        return schema;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            JsonNode tree = mapper.valueToTree(data);
            if (tree.isObject() && !tree.has("schema")) {
                // Records that do not name their schema themselves (internal state) get it stamped here.
                tree = mapper.createObjectNode().put("schema", schema).setAll((com.fasterxml.jackson.databind.node.ObjectNode) tree);
            }
            return mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException("cannot write " + schema + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : parse(new String(data, StandardCharsets.UTF_8));
    }

    /** Parses one JSON document; the exception message is the reason a person reads in a dead letter. */
    public T parse(String json) {
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
        if (!declared.asText().equals(schema)) {
            throw new SerializationException("schema \"" + declared.asText() + "\" where \"" + schema + "\" was expected");
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

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
