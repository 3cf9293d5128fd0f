package org.opinionwatch.runtime.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The bearer token an endpoint requires ({@code Authorization: Bearer <token>}); it never shows the token. */
public final class BearerToken {
    private static final String SCHEME = "bearer ";

    private final byte[] digest;

    public BearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token is required");
        }
        this.digest = sha256(token);
    }

    /**
     * Lets the request through, or refuses it: 401 without a bearer token (with {@code WWW-Authenticate: Bearer}),
     * 403 with a wrong one.
     */
    public void authorise(Exchange exchange) throws HttpRefusal {
        String authorization = exchange.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.substring(SCHEME.length()).isBlank()) {
            exchange.setHeader("WWW-Authenticate", "Bearer");
            throw HttpRefusal.ofRequest(401, "missing bearer token: send Authorization: Bearer <token>");
        }
        // Digests have the same length whatever was sent, and isEqual compares them in constant time, so the time
        // taken tells an attacker neither how many leading characters were right nor how long the token is.
        if (!MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()))) {
            throw HttpRefusal.ofRequest(403, "wrong bearer token");
        }
    }

    @Override
    public String toString() {
        return "BearerToken[***]";
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
