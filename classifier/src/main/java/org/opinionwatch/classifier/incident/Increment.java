package org.opinionwatch.classifier.incident;

import java.time.Instant;
import java.util.List;
import org.opinionwatch.classifier.window.Counts;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.PostRef;

/**
 * What one post snapshot added to its incident: the growth of the post's engagement since its highest earlier
 * snapshot. Internal to the classifier (repartition and handover topics).
 *
 * @param subject the subject the post matched, or null for a repost that matched none (its root may have)
 * @param root whether the post is the incident's original post
 * @param outlets the mainstream outlets that published the post, on the post's first observation only
 * @param at the snapshot's event time
 * @param posts how many posts this increment observes for the first time: 1 on a post's first snapshot, 0 on a
 *     re-observation, more when a grouped story hands its counts over to the incident it joined
 * @param needsReply whether the post needs a reply (its content category), on its first observation only
 * @param domains the sensitive domains the post touches, on its first observation only
 * @param categories the post's content categories ({@code ContentCategory#label}), on its first observation only
 * @param story on an original post's first observation with a subject: the text its story is recognised by
 *     ({@link org.opinionwatch.classifier.story.StoryFingerprint#essence}); null otherwise
 * @param joins on the story grouper's word that the story of {@code incidentId}'s original post joins another
 *     incident: that incident (the increment itself counts nothing)
 * @param judgement people's judgement of the incident from {@code actions} (dismiss, set-level, clear-level, merge);
 *     the increment itself counts nothing
 * @param promise on the classifier's loop topics only: a task's promise that nothing it sends there from now on is
 *     older than {@code at} ({@link Promise}); the increment itself counts nothing
 * @param movedAt on an entry a joining incident hands over: the instant of the join, when it takes its place among
 *     the other incident's inputs ({@code at} stays the entry's own instant, for its window); null otherwise
 */
public record Increment(String incidentId, String subject, PostRef post, boolean root, Instant at, Engagement delta,
                 List<String> outlets, long posts, boolean needsReply, List<String> domains, List<String> categories,
                 String story, String joins, Action judgement, Promise promise, Instant movedAt) {
    /** Version 3 added {@code promise}; version 2 is read as it is (no promise). */
    public static final String SCHEMA = "classifier-increment/3";
    public static final String PREVIOUS_SCHEMA = "classifier-increment/2";

    public Increment(String incidentId, String subject, PostRef post, boolean root, Instant at, Engagement delta, List<String> outlets,
              long posts, boolean needsReply, List<String> domains, List<String> categories, String story, String joins) {
        this(incidentId, subject, post, root, at, delta, outlets, posts, needsReply, domains, categories, story, joins, null, null, null);
    }

    /** People's judgement of an incident, on its way to the incident's processor with the counts. */
    public static Increment judged(Action action) {
        return new Increment(action.incidentId(), null, null, false, action.at(), Engagement.ZERO, List.of(), 0, false, List.of(), List.of(),
                null, null, action, null, null);
    }

    /** Task {@code task}'s promise, as {@code source}, that nothing older than {@code at} is still to come from it. */
    public static Increment promise(Promise.Source source, int task, Instant at) {
        return new Increment(null, null, null, false, at, Engagement.ZERO, List.of(), 0, false, List.of(), List.of(), null, null, null,
                new Promise(source, task), null);
    }

    /** The same entry, taking its place among the receiving incident's inputs at {@code instant}. */
    public Increment movedAt(Instant instant) {
        return new Increment(incidentId, subject, post, root, at, delta, outlets, posts, needsReply, domains, categories, story, joins, judgement,
                promise, instant);
    }

    /** When the increment takes its place among its incident's inputs: when it was moved there, else its own instant. */
    public Instant orderAt() {
        return movedAt == null ? at : movedAt;
    }

    /**
     * Whether this is the story grouper's word on the story of {@code incidentId}'s original post: it joins
     * {@code joins}, or stays its own incident when that is {@code incidentId} itself.
     */
    public boolean isStoryDecision() {
        return joins != null && root && promise == null;
    }

    public Increment {
        outlets = outlets == null ? List.of() : List.copyOf(outlets);
        domains = domains == null ? List.of() : List.copyOf(domains);
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** The grouper's word that this post's story joins {@code incident}: nothing counted, only the post and when. */
    public Increment joining(String incident) {
        return new Increment(incidentId, subject, post, root, at, Engagement.ZERO, List.of(), 0, false, List.of(), List.of(), null, incident);
    }

    /** The increment moved to another incident, where its post is not the original post. */
    public Increment handedTo(String incident, long morePosts, boolean moreNeedsReply, List<String> moreDomains, List<String> moreCategories) {
        java.util.TreeSet<String> allDomains = new java.util.TreeSet<>(domains);
        allDomains.addAll(moreDomains);
        java.util.Set<String> allCategories = new java.util.HashSet<>(categories);
        allCategories.addAll(moreCategories);
        return new Increment(incident, subject, post, false, at, delta, outlets, Counts.plus(posts, morePosts), needsReply || moreNeedsReply,
                List.copyOf(allDomains), org.opinionwatch.classifier.category.ContentCategory.inPrecedence(allCategories), null, joins);
    }
}
