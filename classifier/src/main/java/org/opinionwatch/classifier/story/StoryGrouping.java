package org.opinionwatch.classifier.story;

import java.util.Optional;

/**
 * Decides whether a new story is one already told: the most similar recent story on the same subject, if it is
 * similar enough. Which stories are recent and on the subject is the caller's business (the classifier keeps them
 * in a state store by subject and time).
 *
 * @param similarity the least {@link StoryFingerprint#similarity} for two stories to be one (0.45: nearly half of
 *     all their bigrams shared; reworded titles and reposted texts with a comment added reach it, two different
 *     stories on the same subject rarely do)
 * @param minBigrams texts shorter than this many bigrams say too little to be told apart, and are never grouped
 */
public record StoryGrouping(double similarity, int minBigrams) {

    /** A recent story and the incident it belongs to. */
    public record Story(String incidentId, StoryFingerprint fingerprint) {
    }

    /** The incident of the most similar story in {@code recent}, or empty when the new story starts an incident. */
    public Optional<String> incidentFor(StoryFingerprint story, Iterable<Story> recent) {
        if (story.size() < minBigrams) {
            return Optional.empty();
        }
        Story best = null;
        double bestSimilarity = 0;
        for (Story candidate : recent) {
            int size = candidate.fingerprint().size();
            // Jaccard similarity is at most the smaller set's size over the larger's, and at most what the signatures
            // allow: most candidates end here, and only the rest are compared bigram by bigram.
            if (size < minBigrams || Math.min(size, story.size()) < similarity * Math.max(size, story.size())
                    || !story.mayReach(candidate.fingerprint(), similarity)) {
                continue;
            }
            double s = story.similarity(candidate.fingerprint());
            if (s >= similarity && s > bestSimilarity) { // the earliest of equally similar stories wins
                best = candidate;
                bestSimilarity = s;
            }
        }
        return Optional.ofNullable(best).map(Story::incidentId);
    }
}
