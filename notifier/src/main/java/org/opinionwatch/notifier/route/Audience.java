package org.opinionwatch.notifier.route;

import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig.Person;

/**
 * Who a notification reaches: a role's or a department's channels, and whoever of it is on duty.
 *
 * @param id {@code OFFICE}, or {@code department:logistics}: what delivery records name
 * @param name for people: 舆情办公室, 后勤处
 * @param channels the names of its channels, in the config's order
 * @param people the ids of those on duty, in the roster's order; empty for the whole group (no roster)
 * @param persons their entries in {@code notifier.people}, in the same order
 * @param passedOver the names of those it was meant for first, who had nobody on duty, in order; empty when it went
 *     where it was meant to
 */
public record Audience(String id, String name, List<String> channels, List<String> people, List<Person> persons,
                       List<String> passedOver) {
    public Audience {
        channels = List.copyOf(channels);
        people = List.copyOf(people);
        persons = List.copyOf(persons);
        passedOver = List.copyOf(passedOver);
    }

    /** Whether it fell back to the role above for want of anyone on duty where it was meant to go. */
    public boolean fellBack() {
        return !passedOver.isEmpty();
    }
}
