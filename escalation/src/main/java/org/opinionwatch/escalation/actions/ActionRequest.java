package org.opinionwatch.escalation.actions;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.runtime.http.HttpRefusal;
import org.opinionwatch.runtime.http.JsonExchange;

/**
 * Reads a request of the actions endpoint. About an incident (the id from the path):
 * {@code {"duty": "respond", "by": "张老师", "note": "...", "at": "..."}} closes one duty;
 * {@code {"kind": "resolve" | "dismiss" | "set-level" | "clear-level" | "merge", "level": "MAJOR", "into": "...", "by",
 * "reason", "at"}} does the rest. A silence: {@code {"incident" | "subject" | "role": "...", "until", "by", "reason"}}.
 * Every fault is found, not only the first, so that the client can fix them all at once.
 */
final class ActionRequest {
    private static final List<String> FIELDS = List.of("duty", "kind", "level", "into", "by", "note", "reason", "at");
    private static final List<String> SILENCE_FIELDS = List.of("incident", "subject", "role", "until", "by", "reason", "at");
    private static final String EXAMPLE = "{\"duty\": \"respond\", \"by\": \"张老师\"}";
    private static final String SILENCE_EXAMPLE = "{\"subject\": \"canteen\", \"until\": \"2024-05-02T08:00:00+08:00\", \"by\": \"李老师\", \"reason\": \"...\"}";

    /** One fault: the field (or {@code incidentId}, from the path) and why. */
    record Problem(String field, String reason) {
    }

    private ActionRequest() {
    }

    /**
     * An action about an incident.
     *
     * @param rawIncidentId the path segment as sent, percent-encoded
     * @param now the time of an action without {@code at}, and the bound of one with it
     * @throws HttpRefusal (400) with a {@link Problem} for every fault
     */
    static Action read(String rawIncidentId, String body, Instant now) throws HttpRefusal {
        JsonNode document = object(body, EXAMPLE);
        List<Problem> problems = new ArrayList<>();
        String incidentId = pathSegment(rawIncidentId, "incidentId", "incident id", problems);
        unknownFields(document, FIELDS, problems);
        String duty = optional(document, "duty", problems);
        String kindName = optional(document, "kind", problems);
        Action.Kind kind = null;
        if (duty == null && kindName == null) {
            problems.add(new Problem("duty", "required, or kind: " + Actions.choices()));
        } else if (duty != null && kindName != null) {
            problems.add(new Problem("kind", "give a duty or a kind, not both"));
        } else {
            try {
                kind = Actions.kind(duty != null ? duty : kindName);
                if (duty != null && kind != Action.Kind.DONE || kindName != null && kind == Action.Kind.DONE) {
                    problems.add(new Problem(duty != null ? "duty" : "kind", duty != null ? "\"" + duty + "\" is not a duty: give it as kind"
                            : "\"" + kindName + "\" is a duty: give it as duty"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(duty != null ? "duty" : "kind", e.getMessage()));
            }
        }
        String by = required(document, "by", "required: the name of who acted", problems);
        String note = optional(document, "note", problems);
        String reason = optional(document, "reason", problems);
        if (note != null && reason != null) {
            problems.add(new Problem("reason", "give a note or a reason, not both"));
        }
        String text = reason != null ? reason : note;
        Level level = null;
        String levelName = optional(document, "level", problems);
        if (kind == Action.Kind.SET_LEVEL) {
            if (levelName == null) {
                problems.add(new Problem("level", "required with set-level: MINOR, GENERAL, MAJOR or CRITICAL"));
            } else {
                try {
                    level = Actions.level(levelName);
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("level", e.getMessage()));
                }
            }
        }
        String into = optional(document, "into", problems);
        if (kind == Action.Kind.MERGE && (into == null || into.isBlank())) {
            problems.add(new Problem("into", "required with merge: the incident this one goes on as"));
        }
        if (kind != null && (kind == Action.Kind.DISMISS || kind == Action.Kind.SET_LEVEL || kind == Action.Kind.MERGE)
                && (text == null || text.isBlank())) {
            problems.add(new Problem("reason", "required with " + Actions.name(kind) + ": why, for the case's timeline"));
        }
        Instant at = at(document, now, problems);
        refuseIf(problems, body);
        try {
            return new Action(null, incidentId, kind, duty == null ? null : duty.strip().toLowerCase(Locale.ROOT), level,
                    into == null ? null : into.strip(), null, by.strip(), text, at);
        } catch (IllegalArgumentException e) {
            throw HttpRefusal.ofInput(400, "invalid action, nothing recorded: " + e.getMessage(), body);
        }
    }

    /** A silence: of one incident, subject or role, until a time, with a reason. */
    static Action silence(String body, Instant now) throws HttpRefusal {
        JsonNode document = object(body, SILENCE_EXAMPLE);
        List<Problem> problems = new ArrayList<>();
        unknownFields(document, SILENCE_FIELDS, problems);
        List<Action.Silence.Target> targets = new ArrayList<>();
        String value = null;
        for (Action.Silence.Target t : Action.Silence.Target.values()) {
            String v = optional(document, t.name().toLowerCase(Locale.ROOT), problems);
            if (v != null) {
                targets.add(t);
                value = v.strip();
            }
        }
        if (targets.size() != 1) {
            problems.add(new Problem("incident", "give exactly one of incident, subject or role"));
        } else if (targets.get(0) == Action.Silence.Target.ROLE) {
            try {
                Role role = Actions.role(value);
                value = role.name();
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("role", e.getMessage()));
            }
        }
        Instant until = null;
        String untilText = required(document, "until", "required: when the silence ends, such as 2024-05-02T08:00:00+08:00", problems);
        if (untilText != null) {
            try {
                until = Actions.instant(untilText);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("until", e.getMessage()));
            }
        }
        String by = required(document, "by", "required: the name of who sets it", problems);
        String reason = required(document, "reason", "required: why, for the list of silences", problems);
        Instant at = at(document, now, problems);
        if (until != null && !until.isAfter(at)) {
            problems.add(new Problem("until", until + " is not after the silence's start " + at));
        }
        refuseIf(problems, body);
        return new Action(null, null, Action.Kind.SILENCE, null, null, null, new Action.Silence(null, targets.get(0), value, until),
                by.strip(), reason, at);
    }

    /** The removal of a silence: its id from the path, who removes it from the query ({@code ?by=...}). */
    static Action unsilence(String rawId, String query, Instant now) throws HttpRefusal {
        List<Problem> problems = new ArrayList<>();
        String id = pathSegment(rawId, "id", "silence id", problems);
        String by = null;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("by=")) {
                by = URLDecoder.decode(pair.substring(3), UTF_8);
            }
        }
        if (by == null || by.isBlank()) {
            problems.add(new Problem("by", "required in the query: ?by=<the name of who removes it>"));
        }
        refuseIf(problems, query);
        return new Action(null, null, Action.Kind.UNSILENCE, null, null, null, Action.Silence.of(id), by.strip(), "", now);
    }

    private static JsonNode object(String body, String example) throws HttpRefusal {
        JsonNode document = JsonExchange.document(body);
        if (document.isMissingNode()) {
            throw HttpRefusal.ofInput(400, "empty body: expected a JSON object such as " + example, body);
        }
        if (!document.isObject()) {
            throw HttpRefusal.ofInput(400, "expected a JSON object such as " + example + ", not a JSON "
                    + document.getNodeType().name().toLowerCase(Locale.ROOT), body);
        }
        return document;
    }

    private static void unknownFields(JsonNode document, List<String> fields, List<Problem> problems) {
        document.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                problems.add(new Problem(name, "unknown field: the fields are " + String.join(", ", fields)));
            }
        });
    }

    private static Instant at(JsonNode document, Instant now, List<Problem> problems) {
        String atText = optional(document, "at", problems);
        if (atText == null) {
            return now;
        }
        try {
            Instant at = Actions.instant(atText);
            Actions.checkNotFuture(at, now);
            return at;
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("at", e.getMessage()));
            return now;
        }
    }

    private static void refuseIf(List<Problem> problems, String input) throws HttpRefusal {
        if (!problems.isEmpty()) {
            throw HttpRefusal.ofInput(400, "invalid action, nothing recorded", problems, input);
        }
    }

    /** The segment, percent-decoded as a path segment is: a '+' is a plus, not a space (ids are URLs, they may hold one). */
    private static String pathSegment(String raw, String field, String what, List<Problem> problems) {
        String id;
        try {
            id = URLDecoder.decode(raw.replace("+", "%2B"), UTF_8);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, "the path's " + what + " is not percent-encoded properly: " + e.getMessage()));
            return null;
        }
        if (id.isBlank()) {
            problems.add(new Problem(field, "the path's " + what + " is empty"));
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
