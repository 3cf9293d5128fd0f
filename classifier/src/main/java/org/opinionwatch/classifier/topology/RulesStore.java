package org.opinionwatch.classifier.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest published rules in the classifier's global rules store, as their JSON text, with a revision. Every instance and every task sees the same rules; a tombstone goes back to the
 * config file's rules. The revision is the text's hash: republishing the same rules changes nothing, and a restore
 * (which replays the topic through this processor) gives the same revision.
 */
final class RulesStore implements Processor<String, String, Void, Void> {
    static final String NAME = "classifier-rules";
    static final String RULES = "rules";
    static final String REVISION = "revision";
    private KeyValueStore<String, String> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(NAME);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.value() == null) {
            store.delete(RULES);
            store.delete(REVISION);
        } else {
            store.put(RULES, record.value());
            store.put(REVISION, Integer.toHexString(record.value().hashCode()) + "/" + record.value().length());
        }
    }
}
