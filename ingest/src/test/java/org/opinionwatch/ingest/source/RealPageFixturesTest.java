package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

/**
 * Thread pages of real boards, saved by others and committed here under their repositories' licences (origins in
 * src/test/resources/source/README.md), read as a person reads them: each expected value is what the page shows.
 */
class RealPageFixturesTest {
    private static final String CSOL = "https://csolbbs.tiancity.com/forum.php?mod=viewthread&tid=";

    /** Discuz! X3.3, the Counter-Strike Online board, UTF-8: four posts, each time written out after "发表于". */
    @Test
    void discuzX33ThreadGivesItsPostsAndCountsAsThePageShowsThem() throws Exception {
        ForumParser.ThreadPage page = new ForumParser("csol", SiteProfile.discuz())
                .thread(Pages.text("discuz-x33-csol-thread.html"), CSOL + "38672#lastpost", Instant.parse("2024-05-27T02:35:00Z"));
        Post opening = page.opening();
        assertEquals(CSOL + "38672", opening.id());
        assertEquals("建议对鼠神进行改版", opening.title());
        assertEquals("前程往事", opening.author());
        assertEquals(Instant.parse("2024-04-05T15:20:45Z"), opening.publishedAt()); // "发表于 2024-4-5 23:20:45", Beijing time
        assertEquals(new Engagement(3481, 3, 0, 0), opening.engagement()); // "查看: 3481 | 回复: 3"
        // the asterisks are the board's own word filter, as every reader sees them
        assertEquals("建议对鼠神进行改版，现在的鼠神说是传奇，跟别的传奇差太远了，建议：\n"
                + "1*莲花雷变成可以自动恢复的，现在的传奇哪个不能恢复，唯独鼠神不行。\n"
                + "2*普通攻击范围增加，最起码变成散弹。\n"
                + "3*大灾变的时候别的传奇，霸主武器都是无限*，鼠神为甚不是，要改。", opening.text());

        assertEquals(List.of(CSOL + "38672#p53885", CSOL + "38672#p53888", CSOL + "38672#p53937"), ids(page.replies()));
        assertEquals(List.of("横财天降", "縋原啊反", "故乡故事里的故人"), page.replies().stream().map(Post::author).toList());
        assertEquals(List.of(Instant.parse("2024-04-11T03:52:24Z"), Instant.parse("2024-04-14T03:32:04Z"),
                Instant.parse("2024-05-06T04:47:42Z")), page.replies().stream().map(Post::publishedAt).toList());
        assertEquals(List.of("顶你，鼠神真的是太*了，攻击低，*太少，玩灾变居然还要自己买*", "同质化太严重了就没意思了",
                "莲花能自动蓄能恢复……这*点就可以重新站起来了（强烈复议）"), page.replies().stream().map(Post::text).toList());
        assertTrue(page.replies().stream().allMatch(r -> r.repostOf().equals(CSOL + "38672")));
        assertEquals(List.of(), page.notes());
    }

    /** The same board, a reply of six days before shown as "6 天前": its exact time is the span's title. */
    @Test
    void discuzX33RecentReplyIsAtTheExactTimeBehindItsRelativeOne() throws Exception {
        ForumParser.ThreadPage page = new ForumParser("csol", SiteProfile.discuz())
                .thread(Pages.text("discuz-x33-csol-thread-recent.html"), CSOL + "38733&extra=", Instant.parse("2024-05-27T02:37:00Z"));
        Post opening = page.opening();
        assertEquals(CSOL + "38733", opening.id());
        assertEquals("游戏全屏问题，希望大家能出个主意！！", opening.title());
        assertEquals("1657811359", opening.author());
        assertEquals(Instant.parse("2024-05-18T11:27:00Z"), opening.publishedAt()); // "发表于 2024-5-18 19:27:00"
        assertEquals(new Engagement(1031, 1, 0, 0), opening.engagement());
        assertTrue(opening.text().startsWith("我的电脑分辨率是2560*1440，"), opening.text());
        Post reply = page.replies().get(0);
        assertEquals(1, page.replies().size());
        assertEquals(CSOL + "38733#p53963", reply.id());
        assertEquals("大虾米点", reply.author());
        assertEquals(Instant.parse("2024-05-21T03:01:32Z"), reply.publishedAt()); // "6 天前", titled "2024-5-21 11:01:32"
        assertEquals("我知道，只有回去翻下之前的网页浏览记录了，大概半年前调过的", reply.text());
        assertEquals(List.of(), page.notes());
    }

    /** phpBB 3.3, the Debian User Forums in a prosilver-derived style: times in {@code <time datetime>}, UTC. */
    @Test
    void phpbb33ThreadGivesItsPostsAndReplyCount() throws Exception {
        String thread = "https://forums.debian.net/viewtopic.php?t=158836";
        ForumParser.ThreadPage page = new ForumParser("debian", SiteProfile.phpbb().withZone(ZoneOffset.UTC))
                .thread(Pages.text("phpbb33-debian-thread.html"), thread, Instant.parse("2024-05-27T00:00:00Z"), 212L);
        Post opening = page.opening();
        assertEquals(thread, opening.id());
        assertEquals("Auto-rebuild code (nginx module) on debian package upgrade (nginx)", opening.title());
        assertEquals("kikinder", opening.author());
        assertEquals(Instant.parse("2024-04-10T16:01:46Z"), opening.publishedAt()); // "2024-04-10 16:01"
        assertEquals(new Engagement(212, 3, 0, 0), opening.engagement()); // "4 posts"; the views are the list page's
        assertTrue(opening.text().startsWith("Hello guys!\n\nlet's assume I have installed debian package (Nginx in my case).\n"),
                opening.text());
        assertEquals(List.of(thread + "#p796975", thread + "#p797121", thread + "#p797123"), ids(page.replies()));
        assertEquals(List.of("ruwolf", "kikinder", "kikinder"), page.replies().stream().map(Post::author).toList());
        assertEquals(List.of(Instant.parse("2024-04-13T22:16:58Z"), Instant.parse("2024-04-15T20:40:40Z"),
                Instant.parse("2024-04-15T20:41:53Z")), page.replies().stream().map(Post::publishedAt).toList());
        // the smiley between "hope" and "Or" is an image: one space is left, as a reader sees it
        assertEquals("Actually modification to unattended-upgrades can help here, I have hope Or better to modify apt.\n"
                + "Or even better is to create modified debian repository/repository proxy which apt will use and control "
                + "package upgrades on the fly ...\nHas anyone done this before?", page.replies().get(2).text());
        assertEquals(List.of(), page.notes());
    }

    /**
     * phpBB 3.1, the German MyOOS board in a prosilver-derived style: the post count in the 3.1 action bar ("1
     * Beitrag"), the time as German boards write it ("21.01.2009, 05:42") in the board's zone, Europe/Berlin.
     */
    @Test
    void phpbb31GermanThreadGivesItsTimeAndCount() throws Exception {
        ForumParser.ThreadPage page = new ForumParser("myoos", SiteProfile.phpbb().withZone(ZoneId.of("Europe/Berlin")))
                .thread(Pages.text("phpbb31-myoos-thread.html"), "https://foren.myoos.de/viewtopic.php?f=4&t=167",
                        Instant.parse("2021-05-21T06:00:00Z"));
        Post opening = page.opening();
        assertEquals("https://foren.myoos.de/viewtopic.php?t=167", opening.id());
        assertEquals("Was ist Freie Software", opening.title());
        assertEquals("r23", opening.author());
        assertEquals(Instant.parse("2009-01-21T04:42:00Z"), opening.publishedAt()); // 05:42 in Berlin, winter time
        assertFalse(opening.publishedAtUnknown());
        assertEquals(0, opening.engagement().comments()); // "1 Beitrag": the opening post alone
        assertTrue(opening.text().startsWith("Was ist Freie Software und warum ist sie wichtig?\nvon Georg C. F. Greve\n\n"),
                opening.text());
        assertTrue(opening.text().endsWith("http://www.bitkom.org/de/publikationen/38336_39870.aspx"), opening.text());
        assertFalse(opening.text().contains("verseucht die wichtigste Ressource"), "the quoted text is not the author's");
        assertEquals(List.of(), page.replies());
        assertEquals(List.of(), page.notes());
    }

    private static List<String> ids(List<Post> posts) {
        return posts.stream().map(Post::id).toList();
    }
}
