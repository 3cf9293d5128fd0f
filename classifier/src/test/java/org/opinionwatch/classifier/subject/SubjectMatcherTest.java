package org.opinionwatch.classifier.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Post;

class SubjectMatcherTest {
    private static Post post(String title, String text) {
        return new Post("p", "test", null, title, text, "a", null, Instant.EPOCH, null, false, null);
    }

    @Test
    void firstSubjectWhoseKeywordMatchesAndNoExclusion() {
        SubjectMatcher m = new SubjectMatcher(List.of(
                new Subject("canteen", "Canteen", List.of("食堂", "canteen"), List.of("招聘"), List.of(), false),
                new Subject("all", "Everything", List.of(), List.of(), List.of(), true)));
        assertEquals(Optional.of("canteen"), m.match(post("学校食堂饭菜有问题", "")));
        assertEquals(Optional.of("canteen"), m.match(post("", "The CANTEEN served bad food")));
        assertEquals(Optional.of("all"), m.match(post("食堂招聘厨师", "")), "the exclusion sends it on to the catch-all");
    }

    @Test
    void noSubjectNoMatch() {
        SubjectMatcher m = new SubjectMatcher(List.of(new Subject("exam", "Exams", List.of("考试"), List.of(), List.of(), false)));
        assertEquals(Optional.empty(), m.match(post("今天天气很好", "")));
    }
}
