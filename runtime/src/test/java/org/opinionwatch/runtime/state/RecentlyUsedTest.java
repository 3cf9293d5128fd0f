package org.opinionwatch.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class RecentlyUsedTest {
    private static final String COUNTS = "counts";
    private static final String HOOK = "counts-at-commit";

    /** Counts records by key, the counts deferred to the commit; holds two keys in memory. */
    private static final class Counter implements Processor<String, String, Void, Void> {
        private RecentlyUsed<Long> counts;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = RecentlyUsed.deferred(context.getStateStore(COUNTS), 2);
            context.<CommitHook>getStateStore(HOOK).beforeCommit(counts::writeAll);
        }

        @Override
        public void process(Record<String, String> record) {
            Long seen = counts.get(record.key());
            counts.put(record.key(), seen == null ? 1 : seen + 1);
        }
    }

    private static TopologyTestDriver driver() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COUNTS), Serdes.String(), Serdes.Long()));
        builder.addStateStore(CommitHook.builder(HOOK));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).process(Counter::new, COUNTS, HOOK);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "recently-used");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), props);
    }

    @Test
    void deferredValuesReachTheStoreAtEachCommit() {
        try (TopologyTestDriver driver = driver()) {
            var in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            KeyValueStore<String, Long> store = driver.getKeyValueStore(COUNTS);
            // The test driver commits after every record: each count is in the store, and in its changelog, by then.
            in.pipeInput("a", "x");
            in.pipeInput("a", "x");
            assertEquals(2L, store.get("a"));
            in.pipeInput("b", "x");
            in.pipeInput("c", "x");
            in.pipeInput("a", "x");
            assertEquals(3L, store.get("a"), "read back from the store after leaving memory, and counted on");
            assertEquals(1L, store.get("b"));
            assertEquals(1L, store.get("c"));
            assertNull(store.get("d"));
        }
    }
}
