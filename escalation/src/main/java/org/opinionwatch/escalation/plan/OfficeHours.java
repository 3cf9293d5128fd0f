package org.opinionwatch.escalation.plan;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;

/**
 * Each role's quiet hours ({@code escalation.roles.X.quietHours}): when a notification reaches the role. One about a
 * MINOR or GENERAL incident (its level at that instant, as on {@code incidents.severity}) decided inside them waits
 * for their end; MAJOR and CRITICAL always go at once. In a heightened-watch period the quiet hours of a role whose
 * {@code inHeightenedWatch} is false (the office's) do not hold.
 */
public final class OfficeHours {
    private final OpinionWatchConfig.Escalation settings;
    private final List<OpinionWatchConfig.Watch> heightenedWatch;
    private final ZoneId zone;

    public OfficeHours(OpinionWatchConfig.Escalation settings, List<OpinionWatchConfig.Watch> heightenedWatch) {
        this.settings = settings;
        this.heightenedWatch = List.copyOf(heightenedWatch);
        this.zone = ZoneId.of(settings.zone());
    }

    /** When a notification about an incident at {@code level}, decided at {@code at}, reaches {@code role}. */
    public Instant deliverAt(Role role, Level level, Instant at) {
        if (level.compareTo(Level.MAJOR) >= 0) {
            return at;
        }
        OpinionWatchConfig.RoleSettings r = settings.roles().get(role);
        OpinionWatchConfig.QuietHours quiet = r == null ? null : r.quietHours();
        if (quiet == null || quiet.from().equals(quiet.to()) || !quiet.inHeightenedWatch() && inHeightenedWatch(at)) {
            return at;
        }
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean overnight = quiet.to().isBefore(quiet.from());
        boolean inside = overnight ? !t.isBefore(quiet.from()) || t.isBefore(quiet.to()) : !t.isBefore(quiet.from()) && t.isBefore(quiet.to());
        if (!inside) {
            return at;
        }
        ZonedDateTime end = local.toLocalDate().atTime(quiet.to()).atZone(zone);
        return (end.isAfter(local) ? end : local.toLocalDate().plusDays(1).atTime(quiet.to()).atZone(zone)).toInstant();
    }

    private boolean inHeightenedWatch(Instant at) {
        return heightenedWatch.stream().anyMatch(w -> !at.isBefore(w.from()) && at.isBefore(w.to()));
    }
}
