package org.opinionwatch.escalation.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.opinionwatch.escalation.plan.Output;

/** The plan's outputs for the desk as the desk reads them: each with the partition of the plan task that gave it. */
final class DeskEntries implements FixedKeyProcessor<String, Output.DeskEntry, DayEvent> {
    private FixedKeyProcessorContext<String, DayEvent> context;

    @Override
    public void init(FixedKeyProcessorContext<String, DayEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Output.DeskEntry> record) {
        context.forward(record.withValue(DayEvent.of(context.taskId().partition(), record.value())));
    }
}
