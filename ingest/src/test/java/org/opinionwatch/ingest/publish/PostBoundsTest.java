package org.opinionwatch.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Post;

class PostBoundsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final OpinionWatchConfig.InputLimits LIMITS =
            new OpinionWatchConfig.InputLimits(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofMinutes(5));
    private static final PostBounds LIVE = PostBounds.live(LIMITS, Clock.fixed(NOW, ZoneOffset.UTC));
    private static final PostBounds ARCHIVE = PostBounds.archive(LIMITS);

    private static Post post(Instant observed) {
        return new Post("bbs.example.edu/t/1", "bbs.example.edu", "https://bbs.example.edu/t/1", "食堂", "正文", "student01",
                null, observed, new Engagement(1200, 45, 0, 3), false, null);
    }

    private static List<String> fields(List<Limits.Violation> violations) {
        return violations.stream().map(Limits.Violation::field).toList();
    }

    @Test
    void aPostWithinBoundsHasNoViolation() {
        assertEquals(List.of(), LIVE.check(post(NOW.minusSeconds(60))));
        assertEquals(List.of(), ARCHIVE.check(post(Instant.parse("2012-09-11T09:08:18Z"))));
    }

    @Test
    void theEarliestInstantIsAcceptedAndAMomentBeforeItIsNot() {
        Instant earliest = Instant.parse("2000-01-01T00:00:00Z");
        assertEquals(List.of(), ARCHIVE.check(post(earliest)));
        assertEquals(List.of("publishedAt", "observedAt"), fields(ARCHIVE.check(post(earliest.minusMillis(1)))));
        assertEquals(List.of("publishedAt", "observedAt"), fields(LIVE.check(post(Instant.parse("1969-12-31T23:59:59Z")))));
        assertEquals(List.of("publishedAt", "observedAt"), fields(LIVE.check(post(Instant.parse("0001-01-01T00:00:00Z")))));
    }

    @Test
    void liveInputMayBeAheadOfTheClockByTheSkewAndNoMore() {
        assertEquals(List.of(), LIVE.check(post(NOW.plus(Duration.ofMinutes(5)))));
        List<Limits.Violation> ahead = LIVE.check(post(NOW.plus(Duration.ofHours(2))));
        assertEquals(new Limits.Violation("observedAt",
                "is 2024-05-01T12:00:00Z, more than PT5M ahead of ingest's clock at 2024-05-01T10:00:00Z (ingest.limits.maxSkew)"), ahead.get(1));
    }

    /** An archive of the last hour, or one recorded with a clock a little ahead, replays. */
    @Test
    void archivesAreNotHeldToTheClockButToTheWireFormat() {
        assertEquals(List.of(), ARCHIVE.check(post(Instant.now().plus(Duration.ofDays(1)))));
        assertEquals(List.of(), ARCHIVE.check(post(Limits.LATEST)));
        assertEquals(Optional.of(new Limits.Violation("observedAt", "is +10000-01-01T00:00:00Z, after the latest event time "
                + "the wire format holds, 9999-12-31T23:59:59.999999999Z")), ARCHIVE.observedAt(Instant.parse("+10000-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), ARCHIVE.observedAt(Instant.parse("2012-09-11T09:08:18Z")));
    }

    @Test
    void everyFieldOverItsLimitIsNamedInFieldOrder() {
        Post post = new Post("i".repeat(Limits.ID_CHARS + 1), "s".repeat(Limits.SOURCE_CHARS + 1),
                "https://bbs.example.edu/" + "u".repeat(Limits.URL_CHARS), "t".repeat(Limits.TITLE_CHARS + 1),
                "x".repeat(Limits.TEXT_CHARS + 1), "a".repeat(Limits.AUTHOR_CHARS + 1), NOW, NOW,
                new Engagement(Limits.COUNT + 1, Limits.COUNT + 1, Limits.COUNT + 1, Long.MAX_VALUE), false,
                "r".repeat(Limits.ID_CHARS + 1));

        List<Limits.Violation> violations = LIVE.check(post);

        assertEquals(List.of("id", "source", "url", "title", "text", "author", "engagement.views", "engagement.comments",
                "engagement.reposts", "engagement.likes", "repostOf"), fields(violations));
        assertEquals("title has 1001 characters, more than the 1000 allowed", violations.get(3).toString());
        assertEquals("engagement.likes is 9223372036854775807, more than the 1000000000000 allowed", violations.get(9).toString());
    }

    @Test
    void fieldsAtTheirLimitsAreWithinBounds() {
        Post post = new Post("i".repeat(Limits.ID_CHARS), "s".repeat(Limits.SOURCE_CHARS), "https://b.cn/" + "u".repeat(Limits.URL_CHARS - 13),
                "t".repeat(Limits.TITLE_CHARS), "x".repeat(Limits.TEXT_CHARS), "a".repeat(Limits.AUTHOR_CHARS), NOW, NOW,
                new Engagement(Limits.COUNT, Limits.COUNT, Limits.COUNT, Limits.COUNT), false, "r".repeat(Limits.ID_CHARS));
        assertEquals(List.of(), LIVE.check(post));
    }

    /** Messages to people link to a post's url: only a web address may get there. */
    @Test
    void theUrlMustBeAnAbsoluteWebAddress() {
        for (String url : List.of("javascript:alert(1)", "file:///etc/passwd", "/t/1", "bbs.example.edu/t/1", "https://", "http://a b/")) {
            Post post = new Post("p", "s", url, "", "", "", null, NOW, null, false, null);
            assertEquals(List.of("url"), fields(LIVE.check(post)), url);
        }
        for (String url : List.of("https://bbs.example.edu/t/1?page=2", "HTTP://BBS/t", "https://bbs.example.edu/帖子/1")) {
            assertEquals(List.of(), LIVE.check(new Post("p", "s", url, "", "", "", null, NOW, null, false, null)), url);
        }
    }

    @Test
    void theReasonListsEveryViolation() {
        assertEquals("out of bounds: title has 1001 characters, more than the 1000 allowed; engagement.views is 2, more than the 1 allowed",
                PostBounds.reason(List.of(new Limits.Violation("title", "has 1001 characters, more than the 1000 allowed"),
                        new Limits.Violation("engagement.views", "is 2, more than the 1 allowed"))));
    }
}
