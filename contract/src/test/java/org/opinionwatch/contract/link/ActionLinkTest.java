package org.opinionwatch.contract.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Role;

class ActionLinkTest {
    private static final String SECRET = "links-secret-0123456789-0123456789";
    private static final Instant NOW = Instant.parse("2024-05-01T09:00:00Z");
    private final ActionLink link = ActionLink.of("notification-1", "bbs.example.edu/t/42", "triage-and-forward", Role.OFFICE, "张老师",
            "zh-CN", NOW.plus(Duration.ofDays(3)));

    private static ActionLink.Refusal refusal(String token, Instant now) {
        return assertThrows(ActionLink.Invalid.class, () -> ActionLink.verify(token, SECRET, now)).refusal();
    }

    @Test
    void aTokenReadsBackAsItsLinkUntilItExpires() throws ActionLink.Invalid {
        String token = link.token(SECRET);
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "safe in a URL as it is: " + token);
        assertEquals(link, ActionLink.verify(token, SECRET, NOW));
        assertEquals(link, ActionLink.verify(token, SECRET, link.expires().minusMillis(1)));
        ActionLink.Invalid expired = assertThrows(ActionLink.Invalid.class, () -> ActionLink.verify(token, SECRET, link.expires()));
        assertEquals(ActionLink.Refusal.EXPIRED, expired.refusal());
        assertEquals(link, expired.link(), "an expired link still says what it was");
        assertEquals("https://ow.example.edu/links/" + token, link.url("https://ow.example.edu", SECRET));
    }

    @Test
    void theSameNotificationAndActionGiveTheSameLinkAndAction() {
        ActionLink again = ActionLink.of("notification-1", "bbs.example.edu/t/42", "triage-and-forward", Role.OFFICE, "李老师", "zh-CN", NOW);
        assertEquals(link.id(), again.id(), "one link per notification and action, whichever channel or person carries it");
        assertEquals(link.actionId(), again.actionId());
        assertNotEquals(link.id(), ActionLink.of("notification-1", "bbs.example.edu/t/42", ActionLink.DISMISS, Role.OFFICE, null, "zh-CN", NOW).id());
        assertNotEquals(link.id(), ActionLink.of("notification-2", "bbs.example.edu/t/42", "triage-and-forward", Role.OFFICE, null, "zh-CN", NOW).id());
    }

    @Test
    void aChangedOrForeignTokenIsRefused() {
        String token = link.token(SECRET);
        String payload = token.substring(0, token.indexOf('.'));
        String json = new String(Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8);
        String otherDuty = Base64.getUrlEncoder().withoutPadding().encodeToString(json.replace("triage-and-forward", "respond")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ActionLink.Refusal.TAMPERED, refusal(otherDuty + token.substring(token.indexOf('.')), NOW));
        assertEquals(ActionLink.Refusal.TAMPERED, refusal(link.token("another-secret-0123456789-0123456789"), NOW));
        assertEquals(ActionLink.Refusal.TAMPERED, refusal(token.substring(0, token.length() - 2) + "AA", NOW));
        for (String malformed : new String[] {"", "abc", ".abc", "a.b.c", payload + ".%%%", "x".repeat(5000) + ".y"}) {
            assertEquals(ActionLink.Refusal.MALFORMED, refusal(malformed, NOW), malformed);
        }
    }
}
