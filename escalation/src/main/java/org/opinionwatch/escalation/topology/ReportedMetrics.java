package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.JsonSerde;

/**
 * An incident's latest metrics as the classifier reported them (store {@value EscalationTopology#METRICS_STORE}).
 * Kept apart from the case ({@link org.opinionwatch.escalation.plan.Case}): a report arrives with every post counted, and writing the whole case
 * (its timeline, duties and outcomes) for each was most of the stage's work; the case takes them when it is read.
 */
record ReportedMetrics(WindowMetrics metrics, Instant at) {
    static final String SCHEMA = "escalation-metrics/1";
    static final JsonSerde<ReportedMetrics> SERDE = new JsonSerde<>(ReportedMetrics.class, SCHEMA);
}
