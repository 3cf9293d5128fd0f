package org.opinionwatch.ingest.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What tells a silent source, as Prometheus scrapes it: the time the source was last read, and its period. */
class SourceMetricsTest {
    private static final Instant T0 = Instant.parse("2024-05-21T01:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SourceMetrics metrics = new SourceMetrics(registry, "qingxi-bbs").pollsEvery(Duration.ofMinutes(5));

    @Test
    void aSourceIsReadWhenItYieldsAPostOrAnswersThatNothingChanged() {
        assertEquals(0.0, lastSuccess(), "not read yet");

        metrics.fetched(Duration.ofMillis(20), true, T0);
        assertEquals(0.0, lastSuccess(), "a page fetched is not yet a source read: it may be an error or block page");

        metrics.read(T0.plusSeconds(1));
        assertEquals(T0.getEpochSecond() + 1, lastSuccess(), "a post read from it");

        metrics.fetched(Duration.ofMillis(20), false, T0.plusSeconds(300));
        assertEquals(T0.getEpochSecond() + 300, lastSuccess(), "unchanged since the last fetch");
    }

    @Test
    void prometheusHasThePeriodBesideTheLastSuccessUnderTheNamesOfTheAlertRule() {
        String scrape = registry.scrape();

        assertTrue(scrape.contains("ingest_poll_interval_seconds{source=\"qingxi-bbs\"} 300.0"), scrape);
        assertTrue(scrape.contains("ingest_last_success_seconds{source=\"qingxi-bbs\"} 0.0"), scrape);
    }

    private double lastSuccess() {
        return registry.get("ingest.last.success").tag("source", "qingxi-bbs").gauge().value();
    }
}
