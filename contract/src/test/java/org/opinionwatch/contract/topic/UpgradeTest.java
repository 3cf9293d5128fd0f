package org.opinionwatch.contract.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Notification;

/** What the previous release wrote on notifications and actions is still read, as the current schema says it. */
class UpgradeTest {
    @Test
    void aNotification1IsReadAsANotification2() {
        String v1 = "{\"schema\":\"notification/1\",\"id\":\"n-1\",\"incidentId\":\"inc-1\",\"subject\":\"all\",\"level\":\"GENERAL\","
                + "\"role\":\"OFFICE\",\"duty\":\"reminder\",\"instructions\":\"x\",\"at\":\"2024-05-01T00:00:00Z\",\"due\":null,"
                + "\"rootPost\":null,\"report\":null}";
        Notification n = Topics.NOTIFICATION.deserialize("t", v1.getBytes(StandardCharsets.UTF_8));
        assertEquals(Notification.Kind.REMINDER, n.kind());
        assertEquals(List.of("reminder"), n.duties());
        assertEquals("inc-1", n.incidentId());
        assertEquals(Notification.Kind.DUTIES, Topics.NOTIFICATION.parse(v1.replace("reminder", "respond")).kind());
    }

    @Test
    void anAction1IsReadAsTheDutyItsKindMostlyMeant() {
        String v1 = "{\"schema\":\"action/1\",\"id\":\"a-1\",\"incidentId\":\"inc-1\",\"kind\":\"FORWARDED\",\"by\":\"王老师\",\"note\":\"\","
                + "\"at\":\"2024-05-01T00:00:00Z\"}";
        Action a = Topics.ACTION.deserialize("t", v1.getBytes(StandardCharsets.UTF_8));
        assertEquals(Action.Kind.DONE, a.kind());
        assertEquals("triage-and-forward", a.duty());
        assertEquals("a-1", a.id(), "its id stays: a resend still counts once");
        assertEquals(Instant.parse("2024-05-01T00:00:00Z"), a.at());
        assertEquals(Action.Kind.RESOLVE, Topics.ACTION.parse(v1.replace("FORWARDED", "RESOLVED")).kind());
        assertEquals("report-to-leadership", Topics.ACTION.parse(v1.replace("FORWARDED", "ACKNOWLEDGED")).duty());
    }

    @Test
    void anotherSchemaIsStillRefused() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> Topics.ACTION.parse("{\"schema\":\"post/1\",\"id\":\"p\"}"));
        assertEquals("schema \"post/1\" where \"action/2\" was expected", e.getMessage());
    }
}
