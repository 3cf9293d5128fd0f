package org.opinionwatch.contract.link;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.opinionwatch.contract.crypto.HmacSha256;
import org.opinionwatch.contract.event.NamedIds;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.serde.Json;

/**
 * A signed, expiring, single-use link that records one action from a chat message or an e-mail: a duty of the plan
 * done, or an incident dismissed as not relevant. The notifier makes them, the escalation stage's actions endpoint
 * checks and records them ({@code GET /links/{token}} shows what it does, {@code POST} records it).
 *
 * <p>The token is {@code base64url(payload JSON) "." base64url(HMAC-SHA256(secret, payload))}: anyone can read what a
 * link does, nobody without the secret can make or change one. Single use: the action it records has the id
 * {@link #actionId()}, the same each time the link is opened, and the escalation stage keeps the ids of the actions
 * it applied in the incident's case, durably; a used link finds its duty closed (or the case dismissed) and its id
 * there.
 *
 * @param id deterministic: one link per notification and action, whichever channels carry it
 * @param incidentId the incident it acts on
 * @param action a duty key ({@code triage-and-forward}) or {@link #DISMISS}
 * @param role the role whose message carried it
 * @param person who the message addressed (the one on duty), proposed as "who acted"; null for a whole group
 * @param lang the language of the message, and so of the pages: {@code zh-CN} or {@code en}
 * @param expires after this the link is refused
 */
public record ActionLink(@JsonProperty("id") String id, @JsonProperty("i") String incidentId, @JsonProperty("a") String action,
                         @JsonProperty("r") Role role, @JsonProperty("p") String person, @JsonProperty("l") String lang,
                         @JsonProperty("e") Instant expires) {
    /** The action of a link that dismisses the incident (不相关). */
    public static final String DISMISS = "dismiss";
    /** The path under the actions endpoint where links are served. */
    public static final String PATH = "/links/";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** Tokens longer than this are refused unread: a real one is a few hundred characters. */
    private static final int MAX_TOKEN = 4096;

    public ActionLink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(expires, "expires");
    }

    /** The link of a notification's action: its id follows from the notification and the action alone. */
    public static ActionLink of(String notificationId, String incidentId, String action, Role role, String person, String lang,
                                Instant expires) {
        String id = NamedIds.of("link|" + notificationId + "|" + incidentId + "|" + action);
        return new ActionLink(id, incidentId, action, role, person, lang, expires);
    }

    /** The id of the action the link records: the same every time, so that it is applied once however often sent. */
    @JsonIgnore
    public String actionId() {
        return NamedIds.of("action-link|" + id);
    }

    @JsonIgnore
    public boolean dismisses() {
        return DISMISS.equals(action);
    }

    /** The token to put in a URL, signed with {@code secret}. */
    public String token(String secret) {
        try {
            String payload = ENCODER.encodeToString(Json.TOLERANT.writeValueAsBytes(this));
            return payload + "." + ENCODER.encodeToString(mac(secret, payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a link is always JSON", e);
        }
    }

    /** The link's URL under {@code baseUrl}, the actions endpoint's public address. */
    public String url(String baseUrl, String secret) {
        return baseUrl + PATH + token(secret);
    }

    /** Why a token is refused. */
    public enum Refusal {
        /** Not a token at all: cut short, or not made by Opinion Watch. */
        MALFORMED,
        /** Its signature does not match: changed, or made with another secret. */
        TAMPERED,
        /** Past its time. */
        EXPIRED
    }

    /** A token that is refused, and why. */
    public static final class Invalid extends Exception {
        private final Refusal refusal;
        private final transient ActionLink link;

        Invalid(Refusal refusal, ActionLink link) {
            super(refusal.name().toLowerCase(java.util.Locale.ROOT), null, false, false);
            this.refusal = refusal;
            this.link = link;
        }

        public Refusal refusal() {
            return refusal;
        }

        /** The expired link, to say what it was; null when the token is malformed or tampered with. */
        public ActionLink link() {
            return link;
        }
    }

    /**
     * The link of a token, once its signature is checked (in constant time) and its time has not passed.
     *
     * @throws Invalid when it is malformed, tampered with, or expired
     */
    public static ActionLink verify(String token, String secret, Instant now) throws Invalid {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || token.length() > MAX_TOKEN || token.indexOf('.', dot + 1) >= 0) {
            throw new Invalid(Refusal.MALFORMED, null);
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        byte[] json;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            json = Base64.getUrlDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new Invalid(Refusal.MALFORMED, null);
        }
        if (!MessageDigest.isEqual(mac(secret, payload), signature)) {
            throw new Invalid(Refusal.TAMPERED, null);
        }
        ActionLink link;
        try {
            link = Json.TOLERANT.readValue(json, ActionLink.class);
        } catch (IOException | RuntimeException e) {
            throw new Invalid(Refusal.MALFORMED, null); // signed by us yet unreadable: another version's format
        }
        if (!now.isBefore(link.expires())) {
            throw new Invalid(Refusal.EXPIRED, link);
        }
        return link;
    }

    private static byte[] mac(String secret, String payload) {
        return HmacSha256.of(secret.getBytes(UTF_8), payload.getBytes(UTF_8));
    }
}
