package org.opinionwatch.escalation.actions;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.runtime.http.HttpRefusal;
import org.opinionwatch.runtime.http.JsonExchange;

/**
 * Reads a request of the actions endpoint: the incident id from the path, {@code {"kind", "by", "note", "at"}} from
 * the body. Every fault is found, not only the first, so that the client can fix them all at once.
 */
final class ActionRequest {
    private static final List<String> FIELDS = List.of("kind", "by", "note", "at");
    private static final String EXAMPLE = "{\"kind\": \"responded\", \"by\": \"张老师\"}";

    /** One fault: the field (or {@code incidentId}, from the path) and why. */
    record Problem(String field, String reason) {
    }

    private ActionRequest() {
    }

    /**
     * @param rawIncidentId the path segment as sent, percent-encoded
     * @param now the time of an action without {@code at}, and the bound of one with it
     * @throws HttpRefusal (400) with a {@link Problem} for every fault
     */
    static Action read(String rawIncidentId, String body, Instant now) throws HttpRefusal {
        JsonNode document = JsonExchange.document(body);
        if (document.isMissingNode()) {
            throw HttpRefusal.ofInput(400, "empty body: expected a JSON object such as " + EXAMPLE, body);
        }
        if (!document.isObject()) {
            throw HttpRefusal.ofInput(400, "expected a JSON object such as " + EXAMPLE + ", not a JSON "
                    + document.getNodeType().name().toLowerCase(Locale.ROOT), body);
        }
        List<Problem> problems = new ArrayList<>();
        String incidentId = incidentId(rawIncidentId, problems);
        document.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, "unknown field: the fields are kind, by, note and at"));
            }
        });
        Action.Kind kind = null;
        String kindName = required(document, "kind", "required: one of " + Actions.kinds(), problems);
        if (kindName != null) {
            try {
                kind = Actions.kind(kindName);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("kind", e.getMessage()));
            }
        }
        String by = required(document, "by", "required: the name of who acted", problems);
        String note = optional(document, "note", problems);
        Instant at = now;
        String atText = optional(document, "at", problems);
        if (atText != null) {
            try {
                at = Actions.instant(atText);
                Actions.checkNotFuture(at, now);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("at", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw HttpRefusal.ofInput(400, "invalid action, nothing recorded", problems, body);
        }
        return Action.of(incidentId, kind, by.strip(), note, at);
    }

    /** The id, percent-decoded as a path segment is: a '+' is a plus, not a space (ids are URLs, they may hold one). */
    private static String incidentId(String raw, List<Problem> problems) {
        String id;
        try {
            id = URLDecoder.decode(raw.replace("+", "%2B"), UTF_8);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("incidentId", "the path's incident id is not percent-encoded properly: " + e.getMessage()));
            return null;
        }
        if (id.isBlank()) {
            problems.add(new Problem("incidentId", "the path's incident id is empty"));
        }
        return id;
    }

    /** The field's text; null, with a problem, when it is absent, null, blank or not a string. */
    private static String required(JsonNode document, String field, String reason, List<Problem> problems) {
        JsonNode value = document.get(field);
        if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            problems.add(new Problem(field, reason));
            return null;
        }
        return optional(document, field, problems);
    }

    /** The field's text; null when it is absent or null, or not a string (then with a problem). */
    private static String optional(JsonNode document, String field, List<Problem> problems) {
        JsonNode value = document.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new Problem(field, "must be a string, not a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT)));
            return null;
        }
        return value.asText();
    }
}
