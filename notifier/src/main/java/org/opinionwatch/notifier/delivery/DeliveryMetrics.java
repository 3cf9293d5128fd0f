package org.opinionwatch.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * The notifier's meters: deliveries by role and outcome, attempts by role and result, the time from reading a
 * notification to its delivery (retries included), the time of one attempt, and the notifications read and not yet
 * finished. A notification that could not be read has the role {@code unknown}.
 */
public final class DeliveryMetrics {
    /** The role of a notification that could not be read. */
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final AtomicInteger pending = new AtomicInteger();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Strong: Micrometer holds gauge state weakly.
        Gauge.builder("notifier.pending", pending, AtomicInteger::get).strongReference(true)
                .description("Notifications read and not yet delivered, refused or skipped").register(registry);
        // Registered at zero: Prometheus's increase() then counts a role's very first delivery and refusal too, and a
        // role whose webhook has never taken a notification has a series that says so.
        for (Role role : Role.values()) {
            attempts(role, Attempt.DELIVERED_RESULT);
            deliveries(role.name(), Delivery.Outcome.REFUSED);
        }
        deliveries(UNKNOWN, Delivery.Outcome.REFUSED);
    }

    void attempted(Role role, Attempt attempt) {
        attempts(role, attempt.result()).increment();
        Timer.builder("notifier.attempt.latency").tag("role", role.name())
                .description("Time of one POST to a webhook, until its response or failure").publishPercentileHistogram()
                .register(registry).record(attempt.latency());
    }

    void finished(Delivery delivery, Duration sinceRead) {
        String role = delivery.role() == null ? UNKNOWN : delivery.role().name();
        deliveries(role, delivery.outcome()).increment();
        if (delivery.outcome() == Delivery.Outcome.DELIVERED) {
            Timer.builder("notifier.delivery.latency").tag("role", role)
                    .description("From reading a notification to its delivery, retries included").publishPercentileHistogram()
                    .register(registry).record(sinceRead);
        }
    }

    void pending(int count) {
        pending.set(count);
    }

    private Counter attempts(Role role, String result) {
        return Counter.builder("notifier.attempts").tag("role", role.name()).tag("result", result)
                .description("POSTs to webhooks, by result").register(registry);
    }

    private Counter deliveries(String role, Delivery.Outcome outcome) {
        return Counter.builder("notifier.deliveries").tag("role", role).tag("outcome", outcome.name())
                .description("Notifications finished, by outcome").register(registry);
    }
}
