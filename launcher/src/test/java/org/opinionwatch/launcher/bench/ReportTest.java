package org.opinionwatch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReportTest {
    /** As the classifier's own latency timer is built, in the registry a stage's meters go to: cumulative buckets. */
    private static Timer timer() {
        return Timer.builder("classifier.severity.latency").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(10)).register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @Test
    void aTimersSpanIsWhatItRecordedBetweenTwoSnapshots() {
        Timer timer = timer();
        for (int i = 0; i < 100; i++) {
            timer.record(Duration.ofMillis(1500)); // the start-up's slow decisions
        }
        HistogramSnapshot before = timer.takeSnapshot();
        for (int i = 0; i < 100; i++) {
            timer.record(Duration.ofMillis(i < 98 ? 100 : 400));
        }
        HistogramSnapshot span = Report.since(before, timer.takeSnapshot());

        assertEquals(100, span.count());
        assertEquals(98 * 0.1 + 2 * 0.4, span.total(TimeUnit.SECONDS), 1e-6);
        Report.Latency latency = new Report.Latency(50, 1, 1, 100, List.of(), 0, Duration.ZERO, span, 0, List.of());
        // the bucket bounds the values fall in, none of the 1.5 s recorded before the span
        assertEquals(bucketOf(timer, Duration.ofMillis(100)), latency.decidedPercentile(50));
        assertEquals(bucketOf(timer, Duration.ofMillis(400)), latency.decidedPercentile(99));
    }

    @Test
    void theStartUpsPercentilesAreItsOwn() {
        Report.Latency latency = new Report.Latency(50, 1, 1, 3, List.of(Duration.ofMillis(300), Duration.ofMillis(100)), 0, Duration.ZERO,
                timer().takeSnapshot(), 2, List.of(Duration.ofMillis(1500), Duration.ofMillis(900)));
        assertEquals(Duration.ofMillis(300), latency.percentile(99));
        assertEquals(Duration.ofMillis(1500), latency.startUpPercentile(99));
        assertEquals(Duration.ofMillis(900), latency.startUpPercentile(50));
        assertNull(new Report.Latency(50, 1, 1, 3, List.of(), 0, Duration.ZERO, timer().takeSnapshot(), 0, List.of()).startUpPercentile(99));
        assertNull(latency.decidedPercentile(99), "nothing decided");
    }

    @Test
    void aSmallRatioKeepsTwoSignificantDigits() {
        assertEquals("0.50", Report.ratio(0.5));
        assertEquals("0.10", Report.ratio(0.0996));
        assertEquals("0.035", Report.ratio(0.0354));
        assertEquals("0.0039", Report.ratio(599.0 / 152_556));
        assertEquals("0.00", Report.ratio(0));
    }

    /** The upper bound of the timer's bucket that holds {@code value}. */
    private static Duration bucketOf(Timer timer, Duration value) {
        for (var b : timer.takeSnapshot().histogramCounts()) {
            if (b.bucket(TimeUnit.NANOSECONDS) >= value.toNanos()) {
                return Duration.ofNanos((long) b.bucket(TimeUnit.NANOSECONDS));
            }
        }
        throw new AssertionError("no bucket holds " + value);
    }
}
