package org.opinionwatch.notifier.route;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.opinionwatch.contract.config.OpinionWatchConfig.Shift;

/**
 * A roster (值班表): who of a role or department is on duty at an instant, by the first of its shifts that holds then
 * in the plan's zone. A shift from 18:00 to 08:00 runs across midnight and belongs to the day it starts: Friday's
 * night shift still holds early on Saturday.
 */
public final class Roster {
    private final List<Shift> shifts;
    private final ZoneId zone;

    public Roster(List<Shift> shifts, ZoneId zone) {
        this.shifts = List.copyOf(shifts);
        this.zone = zone;
    }

    /** Whether it has any shift: a team without a roster reaches its channels' groups, nobody in particular. */
    public boolean isEmpty() {
        return shifts.isEmpty();
    }

    /** The people of the first shift that holds at {@code at}; empty when none does (nobody on duty). */
    public Optional<List<String>> onDuty(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        for (Shift shift : shifts) {
            if (holds(shift, local) && !shift.people().isEmpty()) {
                return Optional.of(shift.people());
            }
        }
        return Optional.empty();
    }

    private static boolean holds(Shift shift, ZonedDateTime local) {
        LocalTime from = shift.from() == null ? LocalTime.MIDNIGHT : shift.from();
        LocalTime to = shift.to();
        LocalTime time = local.toLocalTime();
        LocalDate day;
        if (to == null || from.isBefore(to)) {
            if (time.isBefore(from) || to != null && !time.isBefore(to)) {
                return false;
            }
            day = local.toLocalDate();
        } else if (!time.isBefore(from)) {
            day = local.toLocalDate(); // the evening part of a shift across midnight
        } else if (time.isBefore(to)) {
            day = local.toLocalDate().minusDays(1); // its morning part belongs to the day before
        } else {
            return false;
        }
        return (shift.days().isEmpty() || shift.days().contains(day.getDayOfWeek()))
                && (shift.start() == null || !day.isBefore(shift.start()))
                && (shift.end() == null || !day.isAfter(shift.end()));
    }
}
