package org.opinionwatch.runtime.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import org.opinionwatch.contract.serde.Json;

/** Reading a request's JSON document the same way at every endpoint of {@link HttpEndpoint}. */
public final class JsonExchange {
    // Strict: input from outside, an unknown field is a mistake to report. Trailing tokens fail: "{...} {...}" is not
    // one document, and reading only the first would drop the rest.
    private static final ObjectReader DOCUMENT = Json.STRICT.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonExchange() {
    }

    /**
     * One JSON document, strictly: malformed JSON or anything after the document is a 400 naming the line and
     * column. An empty body is a missing node, for the caller to say what it expected.
     */
    public static JsonNode document(String body) throws HttpRefusal {
        try {
            return DOCUMENT.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpRefusal.ofInput(400, "malformed JSON: " + e.getOriginalMessage().replace('\n', ' ') + at(e.getLocation()), body);
        }
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
