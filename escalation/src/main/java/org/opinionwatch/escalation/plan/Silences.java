package org.opinionwatch.escalation.plan;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Role;

/**
 * The silences people set (as Alertmanager's): no notification about an incident or a subject, or to a role, from
 * when it was set until a time. An incident's entry to MAJOR or CRITICAL is never silenced: those always go at once.
 */
public record Silences(List<SetSilence> all) {
    public static final Silences NONE = new Silences(List.of());

    public Silences {
        all = List.copyOf(all);
    }

    public static Silences of(Collection<SetSilence> silences) {
        return new Silences(List.copyOf(silences));
    }

    /** The silence that covers a notification about this incident, to this role, at this instant; null if none. */
    public Action.Silence covering(String incidentId, String subject, Role role, Instant at) {
        for (SetSilence s : all) {
            if (s.holdsAt(at) && s.silence().covers(incidentId, subject, role, at)) {
                return s.silence();
            }
        }
        return null;
    }
}
