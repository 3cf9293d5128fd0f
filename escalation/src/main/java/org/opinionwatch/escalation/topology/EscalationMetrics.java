package org.opinionwatch.escalation.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumSet;
import java.util.Locale;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.runtime.metrics.TaskGauges;

/**
 * The escalation stage's meters: notifications by kind (the duty they carry) and role, and the plan's deadlines not
 * yet met, pending (before their deadline) and overdue.
 */
final class EscalationMetrics {
    enum Deadline { PENDING, OVERDUE }

    private final MeterRegistry registry;
    final TaskGauges<Deadline> deadlines;

    EscalationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deadlines = new TaskGauges<>(registry, EnumSet.allOf(Deadline.class),
                d -> "escalation.deadlines." + d.name().toLowerCase(Locale.ROOT), d -> Tags.empty(),
                "Duties of the plan with a deadline that no action has fulfilled yet");
    }

    void notified(Notification n) {
        Counter.builder("escalation.notifications")
                .tags("kind", n.kind().name().toLowerCase(Locale.ROOT), "role", n.role() == null ? "none" : n.role().name())
                .description("Notifications sent, by kind (duties, reminder, overdue, bulletin, digest, daily_report) and role").register(registry).increment();
    }

    /** Adds ({@code sign} 1) or takes away (-1) the deadlines an incident's case holds. */
    void deadlines(String task, Case memory, int sign) {
        if (memory != null) {
            memory.openDuties().stream().filter(d -> d.due() != null)
                    .forEach(d -> deadlines.add(task, d.overdue() ? Deadline.OVERDUE : Deadline.PENDING, sign));
        }
    }
}
