package org.opinionwatch.classifier.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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

    @Test
    void theSignaturesNeverRuleOutAStoryThatReachesTheThreshold() {
        // Texts from a small alphabet share many bigrams and collide on signature bits: the bound must hold anyway.
        Random random = new Random(7);
        List<StoryFingerprint> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StringBuilder text = new StringBuilder();
            int alphabet = 20 + random.nextInt(400);
            for (int c = 0, n = 2 + random.nextInt(600); c < n; c++) {
                text.appendCodePoint(0x4e00 + random.nextInt(alphabet));
            }
            texts.add(StoryFingerprint.of(text.toString()));
        }
        int ruledOut = 0;
        for (StoryFingerprint a : texts) {
            for (StoryFingerprint b : texts) {
                double similarity = a.similarity(b);
                for (double threshold = 0.05; threshold < 1; threshold += 0.1) {
                    if (!a.mayReach(b, threshold)) {
                        assertTrue(similarity < threshold, "ruled out at " + threshold + " but " + similarity + " similar");
                        ruledOut++;
                    }
                }
            }
        }
        assertTrue(ruledOut > 100_000, "the signatures rule out most pairs below the threshold: " + ruledOut);
    }

    @Test
    void differentStoriesAreRuledOutBySignatureAlone() {
        var rat = StoryFingerprint.of("", "某大学食堂吃出老鼠头，学生集体呕吐送医，校方称已封存食材并报告市场监管部门调查");
        var fees = StoryFingerprint.of("", "某大学宿舍电费上调三成，学生在论坛发帖质疑收费依据，后勤处回应称按物价局标准执行");
        assertTrue(rat.mayReach(rat, 1.0));
        assertFalse(rat.mayReach(fees, 0.45));
    }
}
