package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.PostRef;

/** Inputs leave the buffer in event-time order, or all of one incident's at once, before and after a restart. */
class OrderedBufferTest {
    private static Increment inc(String incident, String post, long second) {
        return new Increment(incident, "s", new PostRef(post, "https://bbs/" + post, null), false, Instant.ofEpochSecond(second),
                new Engagement(0, 1, 0, 0), List.of(), 0, false, List.of(), List.of(), null, null);
    }

    private static List<String> posts(List<OrderedBuffer.Held> held) {
        return held.stream().map(h -> h.increment().post().id()).toList();
    }

    @Test
    void anIncidentsInputsAreTakenTogetherInOrderAndTheRestStayInTimeOrder() {
        KeyValueStore<String, OrderedBuffer.Waiting> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("waiting"),
                Serdes.String(), ClassifierTopology.WAITING).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        OrderedBuffer buffer = new OrderedBuffer(store);
        buffer.hold(new OrderedBuffer.Held(inc("b", "b1", 1), 0));
        buffer.hold(new OrderedBuffer.Held(inc("a", "a2", 3), 0));
        buffer.hold(new OrderedBuffer.Held(inc("a", "a1", 2), 0));
        buffer.hold(new OrderedBuffer.Held(inc("ab", "ab1", 2), 0)); // an id that begins with another's
        buffer.hold(new OrderedBuffer.Held(inc("b", "b2", 4), 0));
        buffer.hold(new OrderedBuffer.Held(inc("c", "c1", 5), 0));
        assertEquals(List.of("c1"), posts(buffer.takeAllOf("c")));
        assertEquals(0, store.approximateNumEntries(), "written at the commit, not before");
        buffer.writeAll();
        assertEquals(5, store.approximateNumEntries(), "what came and went before the commit is never written");

        OrderedBuffer restarted = new OrderedBuffer(store);
        assertEquals(List.of("a1", "a2"), posts(restarted.takeAllOf("a")));
        assertEquals(List.of(), restarted.takeAllOf("a"));
        assertEquals(List.of("b1"), posts(restarted.takeBefore(Instant.ofEpochSecond(10).toEpochMilli())));
        assertEquals(List.of("ab1"), posts(restarted.takeBefore(Instant.ofEpochSecond(10).toEpochMilli())));
        assertEquals(List.of("b2"), posts(restarted.takeAllOf("b")));
        assertNull(restarted.takeBefore(Long.MAX_VALUE));
        restarted.writeAll();
        assertEquals(0, store.approximateNumEntries());
    }
}
