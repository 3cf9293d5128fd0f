package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.runtime.state.Queues;

/**
 * The increments of a story awaiting the grouper's word ({@code stories-awaiting}): one store record each, so that a
 * long wait costs one write per increment, and what a previous release kept (a story's increments as one value) is read.
 */
class AwaitingStoriesTest {
    private KeyValueStore<String, OrderedBuffer.Waiting> store;

    @BeforeEach
    void store() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("stories-awaiting"), Serdes.String(), ClassifierTopology.WAITING)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    private static OrderedBuffer.Waiting held(int i) {
        Increment inc = new Increment("root", "s", new PostRef("p" + i, "https://weibo.com/p" + i, null), false, Instant.ofEpochSecond(i),
                new Engagement(0, i, 0, 0), List.of(), 0, false, List.of(), List.of(), null, null);
        return OrderedBuffer.Waiting.then(null, new OrderedBuffer.Held(inc, i));
    }

    @Test
    void eachIncrementIsARecordOfItsOwnAndComesBackInOrderAfterARestart() {
        Queues<OrderedBuffer.Waiting> queues = new Queues<>(store);
        List<OrderedBuffer.Waiting> added = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            added.add(held(i));
            queues.add("root", held(i));
        }
        assertEquals(12, store.approximateNumEntries(), "one record per increment, not one growing list");

        Queues<OrderedBuffer.Waiting> restarted = new Queues<>(store);
        assertEquals(added, restarted.take("root"), "in the order they came, index 10 after index 9");
        assertFalse(restarted.has("root"));
        assertEquals(0, store.approximateNumEntries(), "taken: gone from the store too");
    }

    @Test
    void aStoryKeptAsOneValueByThePreviousReleaseIsReadAndItsNextIncrementsFollowIt() {
        String v1 = "{\"schema\":\"classifier-waiting/1\",\"held\":[{\"increment\":{\"incidentId\":\"root\",\"at\":\"2024-05-06T00:00:00Z\","
                + "\"delta\":{\"comments\":3,\"reposts\":0,\"views\":0,\"likes\":0}},\"intakeMillis\":7}]}";
        // As the previous release's changelog holds it: a v1 value under the story's root alone.
        store.put("root", ClassifierTopology.WAITING.deserializer().deserialize("changelog", v1.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        Queues<OrderedBuffer.Waiting> queues = new Queues<>(store);
        assertNull(store.get("root"), "the old layout's key is written again in the new one");
        queues.add("root", held(1));
        List<OrderedBuffer.Waiting> taken = new Queues<>(store).take("root");
        assertEquals(2, taken.size());
        assertEquals(7, taken.get(0).held().get(0).intakeMillis(), "the previous release's increment first");
        assertEquals(held(1), taken.get(1));
    }

    @Test
    void deferredIncrementsTakenBeforeTheCommitAreNeverWritten() {
        Queues<OrderedBuffer.Waiting> queues = Queues.deferred(store);
        queues.add("root", held(1));
        queues.add("root", held(2));
        queues.add("other", held(3));
        assertEquals(2, queues.take("root").size());
        assertEquals(0, store.approximateNumEntries(), "written at the commit, not before");
        queues.writeAll();
        assertEquals(1, store.approximateNumEntries(), "only what still awaits the word at the commit");
        assertEquals(1, new Queues<>(store).take("other").size());
    }
}
