package org.opinionwatch.contract.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void shortTextIsKept() {
        String text = "食堂饭菜有异物";
        assertSame(text, Limits.truncate(text, 7));
        assertNull(Limits.truncate(null, 7));
    }

    @Test
    void longTextIsCutWithTheMarkerWithinTheLimit() {
        assertEquals("食堂饭…", Limits.truncate("食堂饭菜有异物", 4));
        assertEquals(4, Limits.truncate("abcdefgh", 4).length());
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String text = "ab\uD83D\uDE00cd"; // an emoji is two chars
        assertEquals("ab…", Limits.truncate(text, 4), "the emoji would be cut in two: it goes whole");
    }

    @Test
    void aPostWithinItsBoundsHasNoViolationAndEveryFieldOutsideIsNamed() {
        assertEquals(List.of(), Limits.violations(post("p1", "x".repeat(Limits.TITLE_CHARS), Limits.COUNT)));
        assertEquals(List.of("title has 700000 characters, more than the 1000 allowed"),
                Limits.violations(post("p1", "x".repeat(700_000), 1)).stream().map(Limits.Violation::toString).toList());
        assertEquals(List.of("id", "title"), Limits.violations(post("p".repeat(257), "x".repeat(700_000), 1)).stream()
                .map(Limits.Violation::field).toList());
        assertEquals(List.of(new Limits.Violation("engagement.comments", "is 9223372036854775807, more than the 1000000000000 allowed")),
                Limits.violations(post("p1", "t", Long.MAX_VALUE)));
    }

    @Test
    void aPostReferenceQuotesTheTitleAndCutsAnOverlongUrl() {
        PostRef ref = PostRef.of(post("p1", "食".repeat(5_000), 1));
        assertEquals(Limits.QUOTED_TITLE_CHARS, ref.title().length());
        assertEquals(Limits.TRUNCATED, ref.title().substring(ref.title().length() - 1));
        assertEquals("食堂", new PostRef("p", "https://bbs/p", "食堂").title(), "a short title is kept");
        assertEquals(Limits.URL_CHARS, new PostRef("p", "https://x/" + "a".repeat(10_000), "t").url().length());
    }

    private static Post post(String id, String title, long comments) {
        Instant at = Instant.parse("2024-05-01T08:00:00Z");
        return new Post(id, "forum", "https://bbs.example.edu/t/" + id, title, "", "", at, at, new Engagement(0, comments, 0, 0), false, null);
    }
}
