package org.opinionwatch.contract.serde;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/** The project's two JSON mappers: ISO-8601 instants and durations on the wire. */
public final class Json {
    /** For topics we write ourselves: a newer producer may add fields, an older consumer ignores them. */
    public static final ObjectMapper TOLERANT = build(false);
    /** For input from outside (archives, pushed posts): an unknown field is a mistake worth reporting. */
    public static final ObjectMapper STRICT = build(true);

    private Json() {
    }

    private static ObjectMapper build(boolean failOnUnknown) {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // Reads and writes the records' fields through generated lambdas rather than reflection.
                .addModule(new BlackbirdModule())
                .addModule(IsoInstants.module()) // after the time module: its instants take precedence
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, failOnUnknown)
                .build();
    }
}
