package org.opinionwatch.notifier.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    private static final String ALGORITHM = "HmacSHA256";

    private Signature() {
    }

    /** {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
        }
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
