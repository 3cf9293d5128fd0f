package org.opinionwatch.classifier.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoryFingerprintTest {
    private static final StoryGrouping GROUPING = new StoryGrouping(0.45, 8);

    private static double similarity(String a, String b) {
        return StoryFingerprint.of("", a).similarity(StoryFingerprint.of("", b));
    }

    @Test
    void retellingsOfOneStoryAreAlike() {
        // Pairs of original posts from the Weibo CED incidents that tell one story.
        assertTrue(similarity("今天又两个中江县红十字会的人来我们这里购买了1万多元的救灾药品，但要求我们开5万元的发票",
                "今天两个中 江县红 十字会的人来我们这里购买了1万多元的救 灾药品，但要求我们开5万元发票") > 0.7,
                "spaces inserted to dodge keyword filters change nothing");
        assertTrue(similarity("【爆炸消息：中国移动9月1日起对微信微博收费】两种收费标准：1，包月10元/月；",
                "传闻中国移动9月1日起率先对微信微博收费，两种收费标准：1，包月10元/月；") > 0.45);
        assertEquals(1.0, similarity("學校食堂吃出老鼠頭！！", "学校食堂吃出老鼠头"), 1e-9, "scripts, widths and punctuation alike");
    }

    @Test
    void differentStoriesOnOneSubjectAreNot() {
        assertTrue(similarity("学校食堂吃出老鼠头，学生集体呕吐送医", "学校食堂饭菜涨价，学生对新菜单不满") < 0.3);
        assertEquals(0.0, similarity("", "学校食堂"));
    }

    @Test
    void theMostSimilarStoryWinsAndShortTextsStayApart() {
        var story = StoryFingerprint.of("", "某大学食堂吃出老鼠头学生拍照发到网上");
        var far = new StoryGrouping.Story("far", StoryFingerprint.of("", "某大学食堂吃出老鼠头"));
        var near = new StoryGrouping.Story("near", StoryFingerprint.of("", "某大学食堂吃出老鼠头学生拍照发网上"));
        assertEquals(Optional.of("near"), GROUPING.incidentFor(story, List.of(far, near)));
        assertEquals(Optional.empty(), GROUPING.incidentFor(StoryFingerprint.of("", "转发微博"),
                List.of(new StoryGrouping.Story("x", StoryFingerprint.of("", "转发微博")))), "too short to tell");
    }
}
