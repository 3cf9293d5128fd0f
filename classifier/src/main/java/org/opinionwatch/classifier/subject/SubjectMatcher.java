package org.opinionwatch.classifier.subject;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Post;

/**
 * Decides which monitored subject a post belongs to: the first subject, in configured order, whose keywords
 * occur in the post's title or text and none of whose exclusions do. Matching ignores case.
 */
public final class SubjectMatcher {
    private final List<Subject> subjects;

    public SubjectMatcher(List<Subject> subjects) {
        this.subjects = List.copyOf(subjects);
    }

    public Optional<String> match(Post post) {
        String text = normalize(post.title() + "\n" + post.text());
        for (Subject subject : subjects) {
            if (subject.catchAll()) {
                return Optional.of(subject.id());
            }
            if (containsAny(text, subject.keywords()) && !containsAny(text, subject.exclude())) {
                return Optional.of(subject.id());
            }
        }
        return Optional.empty();
    }

    private static boolean containsAny(String text, List<String> words) {
        for (String word : words) {
            String w = normalize(word);
            if (!w.isEmpty() && text.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
