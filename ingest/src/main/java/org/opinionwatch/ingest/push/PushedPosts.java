package org.opinionwatch.ingest.push;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;

/** Reads a pushed body: one {@code post/1} object or an array of them, all valid or none accepted. */
final class PushedPosts {
    // Strict: pushed posts come from outside, so an unknown field is a mistake to report, not to drop silently.
    private static final JsonSerde<Post> POSTS = new JsonSerde<>(Post.class, Post.SCHEMA, Json.STRICT);
    // Trailing tokens fail: "{...} {...}" is not one document, and reading only the first would drop the rest.
    private static final ObjectReader DOCUMENT = Json.STRICT.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PushedPosts() {
    }

    /**
     * The posts of a body, in order.
     *
     * @throws Rejection (400) for malformed JSON, a document that is neither an object nor an array, an empty or
     *     oversized array, or any invalid item; then {@link Rejection#details} names every bad item
     */
    static List<Post> read(String body, int maxBatch) throws Rejection {
        JsonNode document;
        try {
            document = DOCUMENT.readTree(body);
        } catch (JsonProcessingException e) {
            throw Rejection.ofInput(400, "malformed JSON: " + e.getOriginalMessage().replace('\n', ' ') + at(e.getLocation()), body);
        }
        List<JsonNode> items = items(document, maxBatch, body);
        List<Post> posts = new ArrayList<>(items.size());
        List<Rejection.ItemError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                // Item by item through the contract's serde, so each reason is the one an archive line would get.
                posts.add(POSTS.parse(items.get(i).toString()));
            } catch (SerializationException e) {
                errors.add(new Rejection.ItemError(i, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw Rejection.ofItems(errors.size() + " of " + items.size() + " posts invalid, none accepted", errors, body);
        }
        return posts;
    }

    private static List<JsonNode> items(JsonNode document, int maxBatch, String body) throws Rejection {
        if (document == null || document.isMissingNode()) {
            throw Rejection.ofInput(400, "empty body: expected a post/1 object or an array of them", body);
        }
        if (document.isObject()) {
            return List.of(document);
        }
        if (!document.isArray()) {
            throw Rejection.ofInput(400, "expected a post/1 object or an array of them, not a JSON "
                    + document.getNodeType().name().toLowerCase(java.util.Locale.ROOT), body);
        }
        if (document.isEmpty()) {
            throw Rejection.ofInput(400, "empty array: expected at least one post", body);
        }
        if (document.size() > maxBatch) {
            throw Rejection.ofInput(400, "batch of " + document.size() + " posts is over the limit of " + maxBatch
                    + ": split it", body);
        }
        List<JsonNode> items = new ArrayList<>(document.size());
        document.forEach(items::add);
        return items;
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
