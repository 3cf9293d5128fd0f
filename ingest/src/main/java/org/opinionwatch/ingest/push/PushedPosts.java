package org.opinionwatch.ingest.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.runtime.http.HttpRefusal;
import org.opinionwatch.runtime.http.JsonExchange;

/**
 * Reads a pushed body: one {@code post/1} object or an array of them, all valid and within {@linkplain PostBounds
 * bounds} or none accepted.
 */
final class PushedPosts {
    // Strict: pushed posts come from outside, so an unknown field is a mistake to report, not to drop silently.
    private static final JsonSerde<Post> POSTS = new JsonSerde<>(Post.class, Post.SCHEMA, Json.STRICT);

    /**
     * What is wrong with one item of a batch, by its index in the request's array (0 for a single object): one field
     * out of bounds, or (field null) the item as a whole, which is not a valid {@code post/1}.
     */
    record ItemError(int index, String field, String reason) {
        /** As the dead letter's reason lists it. */
        @Override
        public String toString() {
            return "[" + index + "] " + (field == null ? "" : field + " ") + reason;
        }
    }

    private PushedPosts() {
    }

    /**
     * The posts of a body, in order.
     *
     * @throws HttpRefusal (400) for malformed JSON, a document that is neither an object nor an array, an empty or
     *     oversized array, or any invalid item or item out of bounds; then its {@linkplain HttpRefusal#details
     *     details} are an {@link ItemError} for every bad item, one for each field out of bounds
     */
    static List<Post> read(String body, int maxBatch, PostBounds bounds) throws HttpRefusal {
        List<JsonNode> items = items(JsonExchange.document(body), maxBatch, body);
        List<Post> posts = new ArrayList<>(items.size());
        List<ItemError> errors = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < items.size(); i++) {
            int before = errors.size();
            try {
                // Item by item through the contract's serde, so each reason is the one an archive line would get.
                Post post = POSTS.parse(items.get(i).toString());
                for (Limits.Violation violation : bounds.check(post)) {
                    errors.add(new ItemError(i, violation.field(), violation.reason()));
                }
                posts.add(post);
            } catch (SerializationException e) {
                errors.add(new ItemError(i, null, e.getMessage()));
            }
            bad += errors.size() > before ? 1 : 0;
        }
        if (!errors.isEmpty()) {
            throw HttpRefusal.ofInput(400, bad + " of " + items.size() + " posts invalid, none accepted", errors, body);
        }
        return posts;
    }

    private static List<JsonNode> items(JsonNode document, int maxBatch, String body) throws HttpRefusal {
        if (document == null || document.isMissingNode()) {
            throw HttpRefusal.ofInput(400, "empty body: expected a post/1 object or an array of them", body);
        }
        if (document.isObject()) {
            return List.of(document);
        }
        if (!document.isArray()) {
            throw HttpRefusal.ofInput(400, "expected a post/1 object or an array of them, not a JSON "
                    + document.getNodeType().name().toLowerCase(java.util.Locale.ROOT), body);
        }
        if (document.isEmpty()) {
            throw HttpRefusal.ofInput(400, "empty array: expected at least one post", body);
        }
        if (document.size() > maxBatch) {
            throw HttpRefusal.ofInput(400, "batch of " + document.size() + " posts is over the limit of " + maxBatch
                    + ": split it", body);
        }
        List<JsonNode> items = new ArrayList<>(document.size());
        document.forEach(items::add);
        return items;
    }
}
