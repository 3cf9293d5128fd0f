package org.opinionwatch.classifier.incident;

import java.time.Instant;
import java.util.List;
import org.opinionwatch.classifier.judgement.Judgement;
import org.opinionwatch.classifier.window.TrailingWindow;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;

/**
 * The classifier's state of one incident.
 *
 * @param subject null until a post of the incident matches a subject; until then engagement is counted but the
 *     incident is not open
 * @param window the trailing window (default 24 h) that decides the level
 * @param recent the shorter window (default 1 h) that gives the pace for the forecast
 * @param topPosts the incident's posts with the most engagement, highest first
 * @param belowSince since when the metrics have stayed below the current level's band, or null
 * @param lastActivity the instant of the incident's latest increment
 * @param forecastFor the level the latest forecast warned of, so that each is warned of once
 * @param nextCheck when the incident must be looked at again although nothing arrives (a drop, a subsiding)
 * @param needsReply whether any of its posts needs a reply: then it is at least GENERAL
 * @param domains the sensitive domains its posts touch: then MAJOR is handled as CRITICAL
 * @param categories the content categories of its posts, in order of precedence
 * @param joinedStories the original posts of other stories that joined it (near-duplicates), the first 20
 * @param judgement people's judgement of its level ({@link Judgement}), or null; {@code level} stays the automatic one
 */
public record IncidentRecord(String subject, Level level, Instant openedAt, TrailingWindow window, TrailingWindow recent,
                      long posts, PostRef rootPost, List<TopPost> topPosts, Instant belowSince, Instant lastActivity,
                      Level forecastFor, Instant nextCheck, boolean needsReply, List<String> domains,
                      List<String> categories, List<PostRef> joinedStories, Judgement judgement) {
    public static final String SCHEMA = "classifier-incident/3";

    public IncidentRecord {
        categories = categories == null ? List.of() : List.copyOf(categories);
        joinedStories = joinedStories == null ? List.of() : List.copyOf(joinedStories);
    }

    public record TopPost(PostRef post, long engagement) {
    }

    public boolean opened() {
        return subject != null;
    }

    public IncidentRecord withWindows(TrailingWindow window, TrailingWindow recent) {
        return new IncidentRecord(subject, level, openedAt, window, recent, posts, rootPost, topPosts, belowSince, lastActivity, forecastFor, nextCheck, needsReply, domains, categories, joinedStories, judgement);
    }

    public IncidentRecord withLevel(Level level, Instant belowSince, Level forecastFor) {
        return new IncidentRecord(subject, level, openedAt, window, recent, posts, rootPost, topPosts, belowSince, lastActivity, forecastFor, nextCheck, needsReply, domains, categories, joinedStories, judgement);
    }

    public IncidentRecord withJudgement(Judgement judgement) {
        return new IncidentRecord(subject, level, openedAt, window, recent, posts, rootPost, topPosts, belowSince, lastActivity, forecastFor, nextCheck, needsReply, domains, categories, joinedStories, judgement);
    }

    /** The level it shows: the automatic level, as people's judgement leaves it. */
    public Level shown() {
        return judgement == null ? level : judgement.effective(level);
    }

    public IncidentRecord withNextCheck(Instant nextCheck) {
        return new IncidentRecord(subject, level, openedAt, window, recent, posts, rootPost, topPosts, belowSince, lastActivity, forecastFor, nextCheck, needsReply, domains, categories, joinedStories, judgement);
    }
}
