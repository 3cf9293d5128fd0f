package org.opinionwatch.contract.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Ids derived from what they name (an incident's checkpoint, a notification, an action), so that a replay gives the
 * ids the live run gave and a record sent twice is known as one: {@link UUID#nameUUIDFromBytes} of the name's UTF-8,
 * the very same UUID, with the MD5 digest kept per thread instead of looked up for each id, as the escalation derives
 * several at every step of a case.
 */
public final class NamedIds {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new InternalError("MD5 not supported", e); // every Java platform must have it
        }
    });

    private NamedIds() {
    }

    /** The name-based (version 3) UUID of {@code name}, as text: {@code UUID.nameUUIDFromBytes(name in UTF-8).toString()}. */
    public static String of(String name) {
        byte[] hash = MD5.get().digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0f | 0x30); // version 3
        hash[8] = (byte) (hash[8] & 0x3f | 0x80); // the IETF variant
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | hash[i] & 0xff;
            low = low << 8 | hash[i + 8] & 0xff;
        }
        return new UUID(high, low).toString();
    }
}
