package org.opinionwatch.notifier.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.Role;

/**
 * The series the delivery alerts read exist from the start, at zero: a role whose webhook has never taken a notification,
 * and a first refusal, show in Prometheus's increase().
 */
class DeliveryMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);

    @Test
    void everyRoleHasItsDeliveredAttemptsAndRefusalsAtZeroBeforeAnyNotification() {
        String scrape = registry.scrape();

        for (Role role : Role.values()) {
            assertTrue(scrape.contains("notifier_attempts_total{result=\"delivered\",role=\"" + role + "\"} 0.0"), role + "\n" + scrape);
            assertTrue(scrape.contains("notifier_deliveries_total{outcome=\"REFUSED\",role=\"" + role + "\"} 0.0"), role + "\n" + scrape);
        }
        assertTrue(scrape.contains("notifier_deliveries_total{outcome=\"REFUSED\",role=\"unknown\"} 0.0"), "unreadable records\n" + scrape);
    }

    @Test
    void aRefusalCountsOnTheSeriesThatWasThere() {
        metrics.finished(new Delivery("inc-9/OFFICE/report", "inc-9", Role.OFFICE, "https://chat.example.edu/hook",
                Delivery.Outcome.REFUSED, 1, 401, "HTTP 401: bad signature", "notifications-2@0",
                Instant.parse("2024-05-01T09:00:01Z"), Instant.parse("2024-05-01T09:00:02Z"), "officeHook", "OFFICE", java.util.List.of()),
                Duration.ofSeconds(1));

        assertTrue(registry.scrape().contains("notifier_deliveries_total{outcome=\"REFUSED\",role=\"OFFICE\"} 1.0"), registry.scrape());
    }
}
