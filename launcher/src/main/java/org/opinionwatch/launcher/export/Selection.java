package org.opinionwatch.launcher.export;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * Which post snapshots an export keeps: those of one incident, or those observed in an event-time range.
 *
 * @param roots for an incident: the original posts of its stories, its own and those that joined it; else empty
 * @param what what is exported, for a person
 */
public record Selection(Set<String> roots, Instant from, Instant to, String what) implements Predicate<Post> {
    private static final String JOINED = "joined incident ";

    /**
     * The posts of incident {@code id}: its original post, its reposts and quotes (the same root), and those of the
     * stories that joined it (grouping), as the classifier told them: the incident's {@code joinedStories} (the
     * first 20) and the changes to NONE of the incidents that joined it ({@code "joined incident <id>"}). A story
     * that joined one that joined this incident counts too.
     */
    public static Selection incident(String id, List<IncidentState> states, List<SeverityChange> changes) {
        Set<String> roots = new LinkedHashSet<>(List.of(id));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (IncidentState s : states) {
                if (roots.contains(s.incidentId())) {
                    for (PostRef story : s.joinedStories()) {
                        grew |= roots.add(story.id());
                    }
                }
            }
            for (SeverityChange c : changes) {
                if (c.crossed().stream().anyMatch(x -> x.startsWith(JOINED) && roots.contains(x.substring(JOINED.length())))) {
                    grew |= roots.add(c.incidentId());
                }
            }
        }
        int joined = roots.size() - 1;
        return new Selection(Set.copyOf(roots), null, null, "incident " + id
                + (joined == 0 ? "" : " and the " + joined + " " + (joined == 1 ? "story" : "stories") + " that joined it"));
    }

    /** The snapshots observed from {@code from} (inclusive) to {@code to} (exclusive). */
    public static Selection range(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        return new Selection(Set.of(), from, to, "the posts observed from " + from + " to " + to);
    }

    @Override
    public boolean test(Post post) {
        if (from != null) {
            return !post.observedAt().isBefore(from) && post.observedAt().isBefore(to);
        }
        return roots.contains(post.rootId());
    }
}
