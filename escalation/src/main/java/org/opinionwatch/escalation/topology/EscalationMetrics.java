package org.opinionwatch.escalation.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumSet;
import java.util.Locale;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.runtime.metrics.TaskGauges;

/**
 * The escalation stage's meters: notifications by kind (the duty they carry) and role, the plan's deadlines not yet
 * met by role, pending (before their deadline) and overdue, and the duty board's ({@link DutyBoard}).
 */
final class EscalationMetrics {
    private final MeterRegistry registry;
    final TaskGauges<Role> pending;
    final TaskGauges<Role> overdue;
    final DutyBoard board;

    EscalationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.pending = deadlines(registry, "pending", "Duties of the plan with a deadline not passed yet that no action has fulfilled, by role");
        this.overdue = deadlines(registry, "overdue", "Duties of the plan whose deadline passed and that no action has fulfilled, by role");
        this.board = new DutyBoard(registry);
    }

    private static TaskGauges<Role> deadlines(MeterRegistry registry, String state, String description) {
        return new TaskGauges<>(registry, EnumSet.allOf(Role.class), r -> "escalation.deadlines." + state, r -> Tags.of("role", r.name()),
                description);
    }

    /** The task starts counting its store afresh. */
    void reset(String task) {
        pending.reset(task);
        overdue.reset(task);
    }

    /** The task left this instance, or stops. */
    void forget(String task) {
        pending.remove(task);
        overdue.remove(task);
        board.forget(task);
    }

    void notified(Notification n) {
        Counter.builder("escalation.notifications")
                .tags("kind", n.kind().name().toLowerCase(Locale.ROOT), "role", n.role() == null ? "none" : n.role().name())
                .description("Notifications sent, by kind (duties, reminder, overdue, bulletin, digest, daily_report) and role").register(registry).increment();
    }

    /** Adds ({@code sign} 1) or takes away (-1) the deadlines an incident's case holds. */
    void deadlines(String task, Case memory, int sign) {
        if (memory != null) {
            for (Case.DutyState d : memory.duties()) { // every step of a case counts them twice: a plain loop
                if (d.isOpen() && d.due() != null) {
                    (d.overdue() ? overdue : pending).add(task, d.role(), sign);
                }
            }
        }
    }
}
