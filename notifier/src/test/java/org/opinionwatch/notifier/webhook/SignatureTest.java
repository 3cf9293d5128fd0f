package org.opinionwatch.notifier.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Known vectors computed outside Java: {@code printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -hmac '<secret>'}. */
class SignatureTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final byte[] BODY = "{\"schema\":\"notification/1\",\"id\":\"n-1\"}".getBytes(UTF_8);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void signsTheTimestampADotAndTheBodyBytes() {
        assertEquals("sha256=e1f59b45268a976cf4449a299a2b291e0de3736f75a6fa2403cc7b7f2ccc4013", Signature.sign(SECRET, 1700000000L, BODY));
        assertEquals("sha256=cbca04195b0a28a3fe2d333f0ae00a4737debc720654986a0749d6deb1751879",
                Signature.sign(SECRET, 1714554000L, "{\"instructions\":\"立即上报领导小组\"}".getBytes(UTF_8)), "the UTF-8 bytes as sent");
    }

    @Test
    void aReceiverAcceptsOnlyTheRightSecretBodyAndTimestampWithinItsTolerance() {
        Instant now = Instant.ofEpochSecond(1700000000L + 60);
        String signature = Signature.sign(SECRET, 1700000000L, BODY);
        assertTrue(Signature.verify(SECRET, "1700000000", BODY, signature, now, FIVE_MINUTES));
        assertFalse(Signature.verify("whsec-another-secret!", "1700000000", BODY, signature, now, FIVE_MINUTES), "another secret");
        assertFalse(Signature.verify(SECRET, "1700000000", "{\"schema\":\"notification/1\",\"id\":\"n-2\"}".getBytes(UTF_8), signature, now,
                FIVE_MINUTES), "another body");
        assertFalse(Signature.verify(SECRET, "1700000001", BODY, signature, now, FIVE_MINUTES), "another timestamp: signed, not only checked");
        assertFalse(Signature.verify(SECRET, "1700000000", BODY, signature, now.plus(Duration.ofHours(1)), FIVE_MINUTES),
                "a captured request replayed an hour later");
        assertFalse(Signature.verify(SECRET, "yesterday", BODY, signature, now, FIVE_MINUTES));
        assertFalse(Signature.verify(SECRET, null, BODY, signature, now, FIVE_MINUTES));
        assertFalse(Signature.verify(SECRET, "1700000000", BODY, null, now, FIVE_MINUTES));
    }
}
