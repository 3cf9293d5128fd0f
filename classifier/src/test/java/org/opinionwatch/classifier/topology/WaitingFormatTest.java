package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.serde.JsonSerde;

/**
 * What waits in the classifier's {@code waiting} and {@code stories-awaiting} stores comes back from their changelogs
 * as it was held, every kind of input, and what earlier releases wrote there as JSON is read too.
 */
class WaitingFormatTest {
    private static final Instant AT = Instant.parse("2024-06-03T14:00:00.123456789Z");

    /** Every field set, and every kind of input the incident processor and the router hold. */
    private static OrderedBuffer.Waiting everyKind() {
        Increment first = new Increment("weibo-ced:310", "食堂", new PostRef("weibo-ced:310_a", "https://weibo.com/1/a", "食堂的饭菜里吃出虫子"), true, AT,
                new Engagement(1_200, 35, 4, 9), List.of("人民日报"), 1, true, List.of("food-safety"), List.of("complaint", "demand"),
                "食堂 饭菜 虫子", null);
        Increment joined = new Increment("weibo-ced:310", null, new PostRef("p2", null, null), false, AT.plusSeconds(60), Engagement.ZERO, List.of(),
                0, false, List.of(), List.of(), null, "weibo-ced:1890").movedAt(AT.plusSeconds(90));
        Increment judged = Increment.judged(new Action(null, "weibo-ced:310", Action.Kind.SET_LEVEL, null, Level.MAJOR, null, null, "王老师",
                "校外媒体已转载", AT.plusSeconds(120)));
        Increment promise = Increment.promise(Promise.Source.ROUTER, 2, AT.plusSeconds(180));
        return new OrderedBuffer.Waiting(List.of(new OrderedBuffer.Held(first, 1_717_423_200_000L, false),
                new OrderedBuffer.Held(joined, 0, true), new OrderedBuffer.Held(judged, 5), new OrderedBuffer.Held(promise, 0)));
    }

    @Test
    void everyKindOfInputComesBackAsItWasHeld() {
        OrderedBuffer.Waiting waiting = everyKind();
        byte[] bytes = ClassifierTopology.WAITING.serializer().serialize("waiting-changelog", waiting);
        assertEquals(waiting, ClassifierTopology.WAITING.deserializer().deserialize("waiting-changelog", bytes));
        byte[] json = new JsonSerde<>(OrderedBuffer.Waiting.class, OrderedBuffer.Waiting.SCHEMA).serialize("t", waiting);
        assertTrue(bytes.length * 2 < json.length, bytes.length + " bytes against " + json.length + " as JSON");
    }

    @Test
    void whatEarlierReleasesWroteAsJsonIsRead() {
        OrderedBuffer.Waiting waiting = everyKind();
        for (String schema : List.of("classifier-waiting/1", "classifier-waiting/2")) {
            byte[] json = new JsonSerde<>(OrderedBuffer.Waiting.class, schema).serialize("t", waiting);
            assertEquals(waiting, ClassifierTopology.WAITING.deserializer().deserialize("waiting-changelog", json), schema);
        }
        String withoutAwaitingWord = "{\"schema\":\"classifier-waiting/1\",\"held\":[{\"increment\":{\"incidentId\":\"a\",\"at\":\"2024-05-06T00:00:00Z\","
                + "\"delta\":{\"comments\":3,\"reposts\":0,\"views\":0,\"likes\":0}},\"intakeMillis\":7}]}";
        OrderedBuffer.Held held = ClassifierTopology.WAITING.deserializer().deserialize("t", withoutAwaitingWord.getBytes(StandardCharsets.UTF_8))
                .held().get(0);
        assertEquals(new Engagement(0, 3, 0, 0), held.increment().delta());
        assertEquals(false, held.awaitingWord());
    }

    @Test
    void aRecordOfSomethingElseFailsAndSaysWhat() {
        byte[] whole = ClassifierTopology.WAITING.serializer().serialize("t", everyKind());
        byte[] bytes = java.util.Arrays.copyOf(whole, whole.length - 5); // as a torn write would leave it
        String message = assertThrows(SerializationException.class, () -> ClassifierTopology.WAITING.deserializer().deserialize("t", bytes))
                .getMessage();
        assertTrue(message.startsWith("invalid classifier-waiting/3: "), message);
        message = assertThrows(SerializationException.class, () -> ClassifierTopology.WAITING.deserializer().deserialize("t",
                "{\"schema\":\"classifier-increment/3\"}".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(message.contains("classifier-increment/3"), message);
    }
}
