package org.opinionwatch.notifier.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.opinionwatch.contract.crypto.HmacSha256;

/**
 * The signature of a webhook request, made as Stripe and GitHub make theirs: {@code sha256=} and the hex
 * HMAC-SHA256, keyed with the role's secret, of the timestamp header's value, a dot, and the body bytes as sent.
 *
 * <p>The timestamp is signed so that a captured request cannot be replayed later: a receiver checks the signature,
 * then refuses a timestamp too far from its own clock. The body is signed as bytes, never re-serialized, so the
 * receiver checks exactly what it received.
 */
public final class Signature {
    public static final String PREFIX = "sha256=";

    private Signature() {
    }

    /** {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(HmacSha256.of(secret.getBytes(StandardCharsets.UTF_8),
                (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body));
    }

    /**
     * What a receiver does: the signature header matches the timestamp header and body, and the timestamp is within
     * {@code tolerance} of {@code now}. Compares in constant time, so that the comparison does not tell an attacker
     * how much of a forged signature was right.
     */
    public static boolean verify(String secret, String timestampHeader, byte[] body, String signatureHeader, Instant now,
                                 Duration tolerance) {
        if (timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }
}
