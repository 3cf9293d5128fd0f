package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

class ForumParserTest {
    private static final Instant OBSERVED = Instant.parse("2024-05-21T01:00:00Z");
    private static final String DISCUZ_THREAD = "https://bbs.qingxi-school.cn/forum.php?mod=viewthread&tid=1534";
    private static final String PHPBB_THREAD = "https://forum.nanhu-college.edu.cn/phpBB3/viewtopic.php?t=42";

    private final ForumParser discuz = new ForumParser("qingxi-bbs", SiteProfile.discuz());
    private final ForumParser phpbb = new ForumParser("nanhu-forum", SiteProfile.phpbb());

    @Test
    void discuzListGivesTheNormalThreadsOnceEachAsCanonicalUrls() throws Exception {
        // the pinned rules thread is left out; the rewritten URL and the highlight parameter are canonicalised
        List<String> threads = urls(discuz.threads(Pages.text("discuz-list.gbk.html"),
                "http://bbs.qingxi-school.cn/forum-2-1.html")); // relative links resolve against <base href>
        assertEquals(List.of(DISCUZ_THREAD,
                "https://bbs.qingxi-school.cn/forum.php?mod=viewthread&tid=1529",
                "https://bbs.qingxi-school.cn/forum.php?mod=viewthread&tid=1501"), threads);
    }

    @Test
    void discuzThreadInGbkGivesTheOpeningPostWithTheThreadsCounts() throws Exception {
        Post post = discuz.thread(Pages.text("discuz-thread.gbk.html"),
                "https://bbs.qingxi-school.cn/forum.php?mod=viewthread&tid=1534&extra=page%3D1", OBSERVED).opening();
        assertEquals(DISCUZ_THREAD, post.id());
        assertEquals(DISCUZ_THREAD, post.url());
        assertEquals("qingxi-bbs", post.source());
        assertEquals("食堂饭菜里吃出虫子，学校什么时候给个说法？", post.title());
        assertEquals("青溪小胖", post.author());
        // the edit note, the anti-scraping filler, the script and the attachment box are gone; lines are kept
        assertEquals("今天中午在二食堂打的青椒肉丝，吃到一半发现里面有一条虫子，已经拍照了。\n"
                + "问了窗口阿姨，说是菜没洗干净，就给换了一份。\n\n"
                + "这已经是这学期第二次了！学校到底管不管？", post.text());
        assertEquals(Instant.parse("2024-05-20T04:41:00Z"), post.publishedAt()); // 12:41 Beijing time
        assertEquals(OBSERVED, post.observedAt());
        assertEquals(new Engagement(1024, 36, 0, 0), post.engagement());
        assertFalse(post.mainstream());
        assertFalse(post.publishedAtUnknown());
    }

    @Test
    void discuzRepliesOnTheThreadPageArePostsThatAnswerTheThread() throws Exception {
        ForumParser.ThreadPage page = discuz.thread(Pages.text("discuz-thread.gbk.html"), DISCUZ_THREAD, OBSERVED);
        assertEquals(1, page.replies().size());
        Post reply = page.replies().get(0);
        assertEquals(DISCUZ_THREAD + "#p20880", reply.id());
        assertEquals(DISCUZ_THREAD + "#p20880", reply.url());
        assertEquals(DISCUZ_THREAD, reply.repostOf(), "a reply belongs to its thread's story");
        assertEquals(DISCUZ_THREAD, reply.rootId());
        assertEquals("", reply.title());
        assertEquals("去年也有过，建议直接打校长信箱。", reply.text()); // the quote of the opening post is gone
        assertEquals("路过的学长", reply.author());
        assertEquals(Instant.parse("2024-05-21T00:15:02Z"), reply.publishedAt()); // the exact time behind "半小时前"
        assertEquals(Engagement.ZERO, reply.engagement(), "the thread counts its replies; a reply adds none");
        assertEquals(List.of(), page.notes());
    }

    @Test
    void theSameThreadIsTheSamePostWhateverUrlItWasFetchedBy() {
        for (String url : List.of(DISCUZ_THREAD,
                "https://BBS.qingxi-school.cn:443/forum.php?mod=viewthread&tid=1534&extra=page%3D1&page=3#pid20880",
                "https://bbs.qingxi-school.cn/thread-1534-2-1.html",
                "https://bbs.qingxi-school.cn/forum.php?mod=redirect&tid=1534&goto=lastpost#lastpost")) {
            assertEquals(Optional.of(DISCUZ_THREAD), discuz.canonicalThreadUrl(url), url);
        }
        assertEquals(Optional.of(PHPBB_THREAD),
                phpbb.canonicalThreadUrl("https://forum.nanhu-college.edu.cn/phpBB3/viewtopic.php?f=4&t=42&sid=5c1e&start=10&hilit=%E7%83%AD%E6%B0%B4"));
        assertEquals(Optional.empty(), discuz.canonicalThreadUrl("https://bbs.qingxi-school.cn/forum.php?mod=forumdisplay&fid=2"));
        assertEquals(Optional.empty(), discuz.canonicalThreadUrl("https://bbs.qingxi-school.cn/forum.php?mod=redirect&ptid=1534&pid=1"));
    }

    @Test
    void discuzRecentTimeIsReadFromTheExactTimeInTheTitle() throws Exception {
        String html = Pages.text("discuz-thread.gbk.html").replace("<em id=\"authorposton20871\">发表于 2024-5-20 12:41</em>",
                "<em id=\"authorposton20871\">发表于 <span title=\"2024-5-20 12:41:09\">昨天&nbsp;12:41</span></em>");
        assertEquals(Instant.parse("2024-05-20T04:41:09Z"), discuz.thread(html, DISCUZ_THREAD, OBSERVED).opening().publishedAt());
    }

    @Test
    void aDiscuzPermissionPageIsRejectedWithThePreciseReason() {
        UnreadablePageException e = assertThrows(UnreadablePageException.class,
                () -> discuz.thread(Pages.text("discuz-nopermission.gbk.html"), DISCUZ_THREAD, OBSERVED));
        assertEquals("thread page has no title: nothing matches '#thread_subject' (page title: 提示信息 - 青溪中学论坛 - Powered by Discuz!)",
                e.getMessage());
    }

    @Test
    void aThreadPageWithoutItsBodyOrCountsIsRejected() {
        String html = Pages.text("discuz-thread.gbk.html");
        UnreadablePageException noBody = assertThrows(UnreadablePageException.class,
                () -> discuz.thread(html.replace("class=\"t_f\"", "class=\"t_x\""), DISCUZ_THREAD, OBSERVED));
        assertTrue(noBody.getMessage().startsWith("thread page has no body: nothing matches 'td.t_f' (page title: 食堂饭菜"), noBody.getMessage());
        UnreadablePageException noViews = assertThrows(UnreadablePageException.class,
                () -> discuz.thread(html.replace("查看:", "浏览:"), DISCUZ_THREAD, OBSERVED));
        assertTrue(noViews.getMessage().startsWith("thread page has no view count: nothing matches 'div.hm span.xg1:contains(查看) + span.xi1'"),
                noViews.getMessage());
    }

    @Test
    void anUnreadableTimeIsMarkedAndNotedNeverSilentlyTheFetchTime() throws Exception {
        String html = Pages.text("discuz-thread.gbk.html").replace("发表于 2024-5-20 12:41", "发表于 20/5/2024");
        ForumParser.ThreadPage page = discuz.thread(html, DISCUZ_THREAD, OBSERVED);
        assertTrue(page.opening().publishedAtUnknown());
        assertEquals(OBSERVED, page.opening().publishedAt());
        assertEquals(List.of(DISCUZ_THREAD + ": '发表于 20/5/2024' (from '" + SiteProfile.discuz().published()
                + "') is no time that can be read; published at its observation time"), page.notes());
    }

    @Test
    void discuzRelativeTimesAreReadInTheForumsZone() throws Exception {
        Instant observed = Instant.parse("2024-05-21T02:00:00Z"); // 10:00 in Beijing
        for (String[] shown : new String[][] {{"昨天&nbsp;21:03", "2024-05-20T13:03:00Z"}, {"3&nbsp;分钟前", "2024-05-21T01:57:00Z"},
                {"2011-4-27 23:57", "2011-04-27T15:57:00Z"}}) {
            String html = Pages.text("discuz-thread.gbk.html").replace("发表于 2024-5-20 12:41", "发表于 " + shown[0]);
            assertEquals(Instant.parse(shown[1]), discuz.thread(html, DISCUZ_THREAD, observed).opening().publishedAt(), shown[0]);
        }
    }

    @Test
    void aPageThatIsNotOfTheProfilesThreadUrlsIsRejected() {
        UnreadablePageException e = assertThrows(UnreadablePageException.class,
                () -> discuz.thread("<html></html>", "https://bbs.qingxi-school.cn/portal.php", OBSERVED));
        assertTrue(e.getMessage().startsWith("not a thread URL of the Discuz! X3 profile"), e.getMessage());
    }

    @Test
    void phpbbListGivesEveryTopicWithoutSessionIdsAndItsViews() throws Exception {
        List<ForumParser.ListedThread> threads = phpbb.threads(Pages.text("phpbb-list.html"),
                "https://forum.nanhu-college.edu.cn/phpBB3/viewforum.php?f=4");
        assertEquals(List.of("https://forum.nanhu-college.edu.cn/phpBB3/viewtopic.php?t=3", PHPBB_THREAD,
                "https://forum.nanhu-college.edu.cn/phpBB3/viewtopic.php?t=39"), urls(threads));
        assertEquals(612L, threads.get(1).views(), "the topic page shows no views; its list row does");
        Post post = phpbb.thread(Pages.text("phpbb-thread.html"), PHPBB_THREAD, OBSERVED, threads.get(1).views()).opening();
        assertEquals(new Engagement(612, 14, 0, 0), post.engagement());
    }

    private static List<String> urls(List<ForumParser.ListedThread> threads) {
        return threads.stream().map(ForumParser.ListedThread::url).toList();
    }

    @Test
    void phpbbThreadInUtf8GivesTheOpeningPost() throws Exception {
        ForumParser.ThreadPage page = phpbb.thread(Pages.text("phpbb-thread.html"), PHPBB_THREAD + "&sid=5c1e0a8f3b2d4e6f7a8b9c0d1e2f3a4b", OBSERVED);
        Post post = page.opening();
        assertEquals(PHPBB_THREAD, post.id());
        assertEquals("7号宿舍楼热水停了三天，后勤一直说在修", post.title());
        assertEquals("zhang_wei", post.author());
        // the quoted notice and the ad script are gone
        assertEquals("从周六晚上开始7号楼就没有热水了，到今天已经三天。\n"
                + "打电话给后勤，一直说“在修，明天就好”。\n\n"
                + "现在只能去澡堂，晚上排队要一个多小时。有同学已经感冒了。\n"
                + "请问学校什么时候能修好？", post.text());
        assertEquals(Instant.parse("2024-05-20T13:03:11Z"), post.publishedAt());
        // 15 posts are the opening post and 14 replies; phpBB shows no view count on the topic page
        assertEquals(new Engagement(0, 14, 0, 0), post.engagement());
        Post reply = page.replies().get(0);
        assertEquals(PHPBB_THREAD + "#p105", reply.id());
        assertEquals("同楼，一样。", reply.text());
        assertEquals("li_na", reply.author());
        assertEquals(Instant.parse("2024-05-20T14:10:45Z"), reply.publishedAt());
    }

    /** phpBB 3.0's prosilver has no {@code <time>}: the time is the text of the author line, in the board's zone. */
    @Test
    void phpbb30ProsilverTimesAreReadFromTheAuthorLine() throws Exception {
        ForumParser london = new ForumParser("eastfield", SiteProfile.phpbb().withZone(java.time.ZoneId.of("Europe/London")));
        String url = "https://forum.eastfield-sixth.ac.uk/viewtopic.php?f=3&t=871";
        ForumParser.ThreadPage page = london.thread(Pages.text("phpbb30-prosilver-thread.html"), url, OBSERVED);
        Post opening = page.opening();
        assertEquals("https://forum.eastfield-sixth.ac.uk/viewtopic.php?t=871", opening.id());
        assertEquals("Canteen closed again without notice", opening.title());
        assertEquals("maya_k", opening.author());
        assertEquals("Third time this month the canteen was shut at lunch and nobody told us.\n\nYear 12 had nothing to eat until 3pm.",
                opening.text(), "the signature is no part of the post");
        assertEquals(Instant.parse("2011-04-26T22:57:00Z"), opening.publishedAt()); // 11:57 pm, British Summer Time
        assertEquals(new Engagement(0, 2, 0, 0), opening.engagement());
        assertEquals(2, page.replies().size());
        Post answer = page.replies().get(0);
        assertEquals("head_of_year", answer.author());
        assertEquals("The supplier failed a hygiene check; it reopens on Monday.", answer.text());
        assertEquals(Instant.parse("2011-04-27T08:05:00Z"), answer.publishedAt());
        Post unreadable = page.replies().get(1);
        assertTrue(unreadable.publishedAtUnknown());
        assertEquals(OBSERVED, unreadable.publishedAt());
        assertEquals(1, page.notes().size());
        assertTrue(page.notes().get(0).startsWith(opening.id() + "#p4415: 'by tomw » soon' (from '"), page.notes().get(0));
    }

    @Test
    void phpbbSubsilver2ListAndThreadAreRead() throws Exception {
        String base = "https://forum.eastfield-sixth.ac.uk/";
        List<ForumParser.ListedThread> threads = phpbb.threads(Pages.text("phpbb-subsilver2-list.html"), base + "viewforum.php?f=3");
        assertEquals(List.of(base + "viewtopic.php?t=12", base + "viewtopic.php?t=871", base + "viewtopic.php?t=866"), urls(threads));
        assertEquals(List.of(4310L, 1204L, 96L), threads.stream().map(ForumParser.ListedThread::views).toList());
        ForumParser.ThreadPage page = phpbb.thread(Pages.text("phpbb-subsilver2-thread.html"), base + "viewtopic.php?f=3&t=871",
                OBSERVED, threads.get(1).views());
        Post opening = page.opening();
        assertEquals("Canteen closed again without notice", opening.title());
        assertEquals("maya_k", opening.author());
        assertEquals("Third time this month the canteen was shut at lunch and nobody told us.\n\nYear 12 had nothing to eat until 3pm.",
                opening.text());
        assertEquals(Instant.parse("2011-04-26T15:57:00Z"), opening.publishedAt()); // the default zone: Beijing
        assertEquals(new Engagement(1204, 17, 0, 0), opening.engagement()); // "[ 18 posts ]"
        Post reply = page.replies().get(0);
        assertEquals(base + "viewtopic.php?t=871#p4412", reply.id());
        assertEquals("head_of_year", reply.author());
        assertEquals("The supplier failed a hygiene check; it reopens on Monday.", reply.text());
        assertEquals(List.of(), page.notes());
    }

    @Test
    void aThreadWithoutTheTimeElementIsMarkedAndNoted() throws Exception {
        String html = Pages.text("phpbb-thread.html").replaceAll("<p class=\"author\">", "<p class=\"byline\">");
        ForumParser.ThreadPage page = phpbb.thread(html, PHPBB_THREAD, OBSERVED);
        assertTrue(page.opening().publishedAtUnknown());
        assertEquals(PHPBB_THREAD + ": no time, nothing matches '" + SiteProfile.phpbb().published() + "'; published at its observation time",
                page.notes().get(0));
    }

    @Test
    void aListPageWithoutThreadsIsRejected() {
        UnreadablePageException e = assertThrows(UnreadablePageException.class,
                () -> phpbb.threads(Pages.text("discuz-list.gbk.html"), "https://bbs.qingxi-school.cn/forum-2-1.html"));
        assertEquals("list page links to no thread: nothing matches 'a.topictitle' "
                + "(page title: 校园生活 - 青溪中学论坛 - Powered by Discuz!)", e.getMessage());
    }

    @Test
    void countsAreReadAsForumsWriteThem() {
        assertEquals(1024L, ForumParser.parseCount("1,024"));
        assertEquals(12_000L, ForumParser.parseCount("1.2万"));
        assertEquals(15L, ForumParser.parseCount("15 个帖子 • 第 1 页"));
        assertEquals(null, ForumParser.parseCount("--"));
    }

    @Test
    void aProfileNamesItsFaultyComponent() {
        SiteProfile d = SiteProfile.discuz();
        IllegalArgumentException badSelector = assertThrows(IllegalArgumentException.class, () -> new SiteProfile(d.name(), d.threadLinks(),
                d.threadUrl(), d.canonicalThread(), "h1[", d.body(), d.bodyExclude(), d.author(), d.published(),
                d.publishedPattern(), d.views(), d.replies(), false, d.zone(), null, null, d.post()));
        assertTrue(badSelector.getMessage().startsWith("title is not a CSS selector"), badSelector.getMessage());
        IllegalArgumentException noGroup = assertThrows(IllegalArgumentException.class, () -> new SiteProfile(d.name(), d.threadLinks(),
                "tid=\\d+", d.canonicalThread(), d.title(), d.body(), d.bodyExclude(), d.author(), d.published(),
                d.publishedPattern(), d.views(), d.replies(), false, d.zone(), null, null, d.post()));
        assertTrue(noGroup.getMessage().startsWith("threadUrl needs a group"), noGroup.getMessage());
    }
}
