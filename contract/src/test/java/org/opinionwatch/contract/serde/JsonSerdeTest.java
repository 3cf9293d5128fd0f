package org.opinionwatch.contract.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.topic.Topics;

class JsonSerdeTest {
    private static final Post POST = new Post("bbs/42", "bbs", "http://bbs/42", "食堂", "饭菜有异物", "student",
            Instant.parse("2024-05-01T08:00:00Z"), Instant.parse("2024-05-01T09:00:00Z"), new Engagement(1200, 45, 0, 3), false, null);

    @Test
    void roundTripsWithTheSchemaNamedFirstAndIsoInstants() {
        byte[] bytes = Topics.POST.serialize("t", POST);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"schema\":\"post/1\""), json);
        assertTrue(json.contains("\"observedAt\":\"2024-05-01T09:00:00Z\""), json);
        assertFalse(json.contains("zero"), "derived getters stay off the wire: " + json);
        assertEquals(POST, Topics.POST.deserialize("t", bytes));
    }

    @Test
    void strictReaderAcceptsItsOwnOutputAndRejectsUnknownFields() {
        JsonSerde<Post> strict = new JsonSerde<>(Post.class, Post.SCHEMA, Json.STRICT);
        String json = new String(Topics.POST.serialize("t", POST), StandardCharsets.UTF_8);
        assertEquals(POST, strict.parse(json));
        SerializationException e = assertThrows(SerializationException.class, () -> strict.parse(json.replace("{\"schema\"", "{\"colour\":1,\"schema\"")));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }

    @Test
    void theUnknownPublicationTimeMarkerIsWrittenOnlyWhenSetAndReadStrictly() {
        String plain = new String(Topics.POST.serialize("t", POST), StandardCharsets.UTF_8);
        assertFalse(plain.contains("publishedAtUnknown"), "an ordinary post is written as before: " + plain);
        Post unknown = new Post(POST.id(), POST.source(), POST.url(), POST.title(), POST.text(), POST.author(), null,
                POST.observedAt(), POST.engagement(), false, null, true);
        String json = new String(Topics.POST.serialize("t", unknown), StandardCharsets.UTF_8);
        assertTrue(json.endsWith(",\"publishedAtUnknown\":true}"), json);
        assertEquals(POST.observedAt(), unknown.publishedAt());
        JsonSerde<Post> strict = new JsonSerde<>(Post.class, Post.SCHEMA, Json.STRICT);
        assertEquals(unknown, strict.parse(json));
        assertEquals(POST, strict.parse(plain), "a post/1 without the field has a known publication time");
    }

    @Test
    void aRecordLargerThanABrokerTakesFailsAsItIsWrittenNotWhenItIsSent() {
        Post large = new Post("bbs/42", "bbs", "http://bbs/42", "食堂", "饭".repeat(400_000), "student",
                POST.publishedAt(), POST.observedAt(), POST.engagement(), false, null);
        SerializationException e = assertThrows(SerializationException.class, () -> Topics.POST.serialize("t", large));
        assertTrue(e.getMessage().matches("cannot write post/1: \\d+ bytes, more than the 1000000 a record may have"), e.getMessage());
        Post fits = new Post("bbs/42", "bbs", "http://bbs/42", "食堂", "饭".repeat(300_000), "student",
                POST.publishedAt(), POST.observedAt(), POST.engagement(), false, null);
        assertEquals(fits, Topics.POST.deserialize("t", Topics.POST.serialize("t", fits)));
    }

    @Test
    void wrongOrMissingSchemaAndMalformedJsonSayWhat() {
        assertEquals("schema \"tracking/1\" where \"post/1\" was expected",
                assertThrows(SerializationException.class, () -> Topics.POST.parse("{\"schema\":\"tracking/1\"}")).getMessage());
        assertEquals("missing \"schema\" field, expected \"post/1\"",
                assertThrows(SerializationException.class, () -> Topics.POST.parse("{\"id\":\"x\"}")).getMessage());
        assertTrue(assertThrows(SerializationException.class, () -> Topics.POST.parse("{\"schema\":")).getMessage().startsWith("malformed JSON"));
        assertTrue(assertThrows(SerializationException.class,
                () -> Topics.POST.parse("{\"schema\":\"post/1\",\"id\":\"x\",\"source\":\"s\"}")).getMessage().contains("observedAt is required"));
    }

    @Test
    void theSchemaFirstIsReadInOnePassAndAnywhereElseThroughTheTreeWithTheSameResultAndErrors() {
        String json = new String(Topics.POST.serialize("t", POST), StandardCharsets.UTF_8);
        String schemaLast = "{" + json.substring(json.indexOf(',') + 1, json.length() - 1) + ",\"schema\":\"post/1\"}";
        assertEquals(POST, Topics.POST.parse(schemaLast));
        assertEquals(POST, Topics.POST.deserialize("t", schemaLast.getBytes(StandardCharsets.UTF_8)));
        assertEquals(POST, Topics.POST.deserialize("t", json.getBytes(StandardCharsets.UTF_8)));
        for (String broken : new String[] {"{\"schema\":\"post/1\",\"id\":", "{\"schema\":\"post/1\"}"}) {
            String byText = assertThrows(SerializationException.class, () -> Topics.POST.parse(broken)).getMessage();
            String byBytes = assertThrows(SerializationException.class,
                    () -> Topics.POST.deserialize("t", broken.getBytes(StandardCharsets.UTF_8))).getMessage();
            assertEquals(byText, byBytes);
            assertTrue(byText.startsWith(broken.endsWith("}") ? "invalid post/1" : "malformed JSON"), byText);
        }
        assertEquals("schema \"post/10\" where \"post/1\" was expected", assertThrows(SerializationException.class,
                () -> Topics.POST.deserialize("t", json.replace("post/1", "post/10").getBytes(StandardCharsets.UTF_8))).getMessage());
    }

    @Test
    void aDeliveryRecordRoundTripsWithItsOutcomeByNameAndADeliveryOneReadsAsOfNoChannel() {
        Delivery delivered = new Delivery("n-1", "bbs/42", Role.OFFICE, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", Delivery.Outcome.DELIVERED,
                3, 200, "HTTP 503", "notifications-2@17", Instant.parse("2024-05-01T09:00:00Z"), Instant.parse("2024-05-01T09:00:04Z"),
                "officeWecom", "OFFICE", List.of("zhang"));
        String json = new String(Topics.DELIVERY.serialize("t", delivered), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"schema\":\"delivery/2\""), json);
        assertTrue(json.contains("\"outcome\":\"DELIVERED\"") && json.contains("\"channel\":\"officeWecom\""), json);
        assertEquals(delivered, Topics.DELIVERY.deserialize("t", json.getBytes(StandardCharsets.UTF_8)));
        Delivery unreadable = new Delivery(null, "bbs/42", null, null, Delivery.Outcome.REFUSED, 0, null, "malformed JSON", "notifications-0@3", null,
                Instant.parse("2024-05-01T09:00:00Z"), null, null, List.of());
        assertEquals(unreadable, Topics.DELIVERY.deserialize("t", Topics.DELIVERY.serialize("t", unreadable)));
        String v1 = "{\"schema\":\"delivery/1\",\"notificationId\":\"n-1\",\"incidentId\":\"bbs/42\",\"role\":\"OFFICE\","
                + "\"url\":\"https://hooks.example.edu/office\",\"outcome\":\"DELIVERED\",\"attempts\":1,\"lastStatus\":200,\"reason\":null,"
                + "\"location\":\"notifications-2@17\",\"firstAttemptAt\":\"2024-05-01T09:00:00Z\",\"finishedAt\":\"2024-05-01T09:00:01Z\"}";
        Delivery read = Topics.DELIVERY.deserialize("t", v1.getBytes(StandardCharsets.UTF_8));
        assertEquals(Delivery.Outcome.DELIVERED, read.outcome());
        assertEquals(null, read.channel());
        assertEquals(List.of(), read.people());
    }

    @Test
    void aSerdeSaysWhichSchemasItReadsForThePublishedContract() {
        assertEquals(java.util.List.of("notification/1", "notification/2"), java.util.List.copyOf(Topics.NOTIFICATION.reads()));
        assertEquals(java.util.List.of("post/1"), java.util.List.copyOf(Topics.POST.reads()));
    }
}
