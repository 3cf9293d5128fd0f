package org.opinionwatch.ingest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RobotsRulesTest {
    private static RobotsRules parse(String text) {
        return RobotsRules.parse(text, "OpinionWatch");
    }

    @Test
    void ourGroupOverridesTheStarGroup() {
        RobotsRules rules = parse("""
                User-agent: *
                Disallow: /

                User-agent: opinionwatch/2.0
                Disallow: /admin/
                """);
        assertTrue(rules.allows("/forum.php"));
        assertFalse(rules.allows("/admin/login"));
    }

    @Test
    void ourGroupWithoutRulesAllowsEverythingDespiteTheStarGroup() {
        RobotsRules rules = parse("User-agent: *\nDisallow: /\n\nUser-agent: OpinionWatch\nDisallow:\n");
        assertTrue(rules.allows("/anything"));
    }

    @Test
    void starGroupAppliesWhenNoGroupNamesUs() {
        RobotsRules rules = parse("User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n");
        assertTrue(rules.allows("/public"));
        assertFalse(rules.allows("/private/x"));
    }

    @Test
    void groupsForUsAreMergedAndSharedGroupsCount() {
        RobotsRules rules = parse("""
                User-agent: OpinionWatch
                Disallow: /a

                User-agent: Baiduspider
                User-agent: OpinionWatch
                Disallow: /b
                """);
        assertFalse(rules.allows("/a"));
        assertFalse(rules.allows("/b"));
        assertTrue(rules.allows("/c"));
    }

    @Test
    void longestMatchWinsAndAllowWinsATie() {
        RobotsRules rules = parse("""
                User-agent: *
                Disallow: /forum/
                Allow: /forum/public/
                Disallow: /forum/public/secret
                Allow: /page
                Disallow: /page
                """);
        assertFalse(rules.allows("/forum/thread-1.html"));
        assertTrue(rules.allows("/forum/public/thread-1.html"));
        assertFalse(rules.allows("/forum/public/secret.html"));
        assertTrue(rules.allows("/page"));
    }

    @Test
    void wildcardsAndEndAnchor() {
        RobotsRules rules = parse("""
                User-agent: *
                Disallow: /*.php$
                Disallow: /*?sid=
                """);
        assertFalse(rules.allows("/forum.php"));
        assertTrue(rules.allows("/forum.php?mod=viewthread&tid=1"), "$ anchors at the end, the query is part of the path");
        assertFalse(rules.allows("/thread.html?sid=abc"));
        assertTrue(rules.allows("/thread.html"));
    }

    @Test
    void commentsUnknownLinesAndRulesOutsideGroupsAreIgnored() {
        RobotsRules rules = parse("""
                \uFEFFDisallow: /before-any-group
                # a comment
                Sitemap: https://example.edu/sitemap.xml
                User-agent: * # everyone
                Crawl-delay: 10
                this line is junk
                Disallow: /tmp/ # scratch
                """);
        assertTrue(rules.allows("/before-any-group"));
        assertFalse(rules.allows("/tmp/x"));
        assertTrue(rules.allows("/tmp"));
    }

    @Test
    void nonAsciiRulesMatchPercentEncodedPaths() {
        RobotsRules rules = parse("User-agent: *\nDisallow: /论坛/\n");
        assertFalse(rules.allows("/%e8%ae%ba%e5%9d%9b/1.html"));
        assertFalse(rules.allows("/论坛/1.html"));
        assertTrue(rules.allows("/news/1.html"));
    }

    @Test
    void robotsTxtItselfAndEmptyFilesAreAllowed() {
        assertTrue(parse("User-agent: *\nDisallow: /\n").allows("/robots.txt"));
        assertTrue(parse("").allows("/anything"));
        assertTrue(RobotsRules.ALLOW_ALL.allows("/anything"));
    }

    @Test
    void productTokenIsTheLeadingNameOfTheUserAgent() {
        assertEquals("OpinionWatch", RobotsRules.tokenOf("OpinionWatch/0.1 (+https://github.com/opinion-watch)"));
    }
}
