package org.opinionwatch.classifier.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Post;

class SubjectMatcherTest {
    private static Post post(String title, String text) {
        return new Post("p", "test", null, title, text, "a", null, Instant.EPOCH, null, false, null);
    }

    private static Subject subject(String id, List<String> keywords, List<String> exclude, List<List<String>> allOf) {
        return new Subject(id, id, keywords, exclude, allOf, false);
    }

    private static Subject catchAll(String id, List<String> exclude) {
        return new Subject(id, id, List.of(), exclude, List.of(), true);
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

    @Test
    void traditionalAndSimplifiedMatchEitherWay() {
        SubjectMatcher simplifiedKeyword = new SubjectMatcher(List.of(subject("canteen", List.of("学校食堂"), List.of(), List.of())));
        assertEquals(Optional.of("canteen"), simplifiedKeyword.match(post("學校食堂的飯菜太貴了", "")));
        assertEquals(Optional.of("canteen"), simplifiedKeyword.match(post("学校食堂的饭菜太贵了", "")));

        SubjectMatcher traditionalKeyword = new SubjectMatcher(List.of(subject("hospital", List.of("校醫院"), List.of("招聘"), List.of())));
        assertEquals(Optional.of("hospital"), traditionalKeyword.match(post("", "校医院排队两个小时")));
        assertEquals(Optional.empty(), traditionalKeyword.match(post("校醫院招聘護士", "")), "the exclusion in the other script");
    }

    @Test
    void widthCaseAndSpacingIgnored() {
        SubjectMatcher m = new SubjectMatcher(List.of(
                subject("wifi", List.of("校园 WiFi"), List.of(), List.of()),
                subject("abc", List.of("ABC公司"), List.of(), List.of())));
        assertEquals(Optional.of("wifi"), m.match(post("校园ｗｉｆｉ又断了", "")));
        assertEquals(Optional.of("wifi"), m.match(post("校　园 WIFI 又断了", "")));
        assertEquals(Optional.of("abc"), m.match(post("", "ＡＢＣ 公 司 拖欠工资")));
        assertEquals(Optional.of("abc"), m.match(post("", "abc\u200B公司")), "a zero-width space does not hide a keyword");
    }

    @Test
    void allOfGroupsEachNeedAHit() {
        SubjectMatcher m = new SubjectMatcher(List.of(subject("food-safety",
                List.of("食堂", "餐厅"), List.of(), List.of(List.of("中毒", "腹泻", "拉肚子"), List.of("学生", "同学")))));
        assertEquals(Optional.of("food-safety"), m.match(post("食堂饭菜疑似导致学生腹瀉", "")), "腹瀉 is 腹泻");
        assertEquals(Optional.of("food-safety"), m.match(post("二餐廳", "好多同學拉肚子")), "title and text together");
        assertEquals(Optional.empty(), m.match(post("食堂饭菜导致腹泻", "")), "no word of the second group");
        assertEquals(Optional.empty(), m.match(post("学生在食堂吃饭", "")), "no word of the first group");
        assertEquals(Optional.empty(), m.match(post("学生腹泻", "")), "groups without a keyword");
    }

    @Test
    void subjectWithOnlyAllOfGroupsMatchesOnThem() {
        SubjectMatcher m = new SubjectMatcher(List.of(subject("exam-leak", List.of(), List.of(), List.of(List.of("考试"), List.of("泄题", "漏题")))));
        assertEquals(Optional.of("exam-leak"), m.match(post("期末考試洩題?", "")), "洩 is 泄");
        assertEquals(Optional.empty(), m.match(post("期末考试", "")));
    }

    @Test
    void subjectWithNothingToLookForMatchesNothing() {
        SubjectMatcher m = new SubjectMatcher(List.of(subject("empty", List.of(" ", "　"), List.of(), List.of())));
        assertEquals(Optional.empty(), m.match(post("学校食堂", "")));
    }

    @Test
    void firstMatchInConfiguredOrderWins() {
        Post p = post("学校食堂又涨价了", "");
        Subject canteen = subject("canteen", List.of("食堂"), List.of(), List.of());
        Subject school = subject("school", List.of("学校食堂", "学校"), List.of(), List.of());
        assertEquals(Optional.of("canteen"), new SubjectMatcher(List.of(canteen, school)).match(p));
        assertEquals(Optional.of("school"), new SubjectMatcher(List.of(school, canteen)).match(p));
        assertEquals(Optional.of("canteen"), new SubjectMatcher(List.of(catchAll("all", List.of("涨价")), canteen)).match(p),
                "a catch-all's exclusion passes the post on");
        assertEquals(Optional.of("all"), new SubjectMatcher(List.of(catchAll("all", List.of()), canteen)).match(p));
    }

    @Test
    void overlappingKeywordsAcrossSubjects() {
        SubjectMatcher m = new SubjectMatcher(List.of(
                subject("school-canteen", List.of("学校食堂"), List.of("食堂阿姨"), List.of()),
                subject("canteen", List.of("食堂", "堂食"), List.of(), List.of()),
                subject("school", List.of("学校", "校食"), List.of(), List.of())));
        assertEquals(Optional.of("school-canteen"), m.match(post("学校食堂", "")));
        assertEquals(Optional.of("canteen"), m.match(post("学校食堂阿姨很好", "")), "the exclusion overlaps the keyword");
        assertEquals(Optional.of("canteen"), m.match(post("食堂堂食", "")));
        assertEquals(Optional.of("school"), m.match(post("學校", "")));
    }

    @Test
    void noKeywordAcrossTitleAndText() {
        SubjectMatcher m = new SubjectMatcher(List.of(subject("canteen", List.of("学校食堂"), List.of(), List.of())));
        assertEquals(Optional.empty(), m.match(post("学校", "食堂")));
    }

    /**
     * 5,000 keywords over a few dozen characters in both scripts (so keywords overlap heavily), in 50 subjects with
     * exclusions and all-of groups: the matcher must decide every post as the obvious loop over subjects and words does.
     */
    @Test
    void fiveThousandKeywordsAgreeWithTheObviousLoop() {
        Random random = new Random(5000);
        List<Subject> subjects = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            List<String> keywords = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                keywords.add(randomChinese(random, 3 + random.nextInt(3)));
            }
            List<String> exclude = List.of(randomChinese(random, 2), randomChinese(random, 3));
            List<List<String>> allOf = s % 3 == 0 ? List.of(List.of(randomChinese(random, 1), randomChinese(random, 1))) : List.of();
            subjects.add(subject("s" + s, keywords, exclude, allOf));
        }
        SubjectMatcher matcher = new SubjectMatcher(subjects);
        int matched = 0;
        for (int i = 0; i < 2000; i++) {
            Post p = post(randomChinese(random, random.nextInt(10)), randomChinese(random, random.nextInt(20)));
            Optional<String> expected = obviousLoop(subjects, p);
            assertEquals(expected, matcher.match(p), () -> p.title() + " / " + p.text());
            matched += expected.isPresent() ? 1 : 0;
        }
        int matchedPosts = matched;
        assertTrue(matchedPosts > 200 && matchedPosts < 1800, () -> "both outcomes must be common, or the comparison proves little; "
                + "matched " + matchedPosts + " of 2000");
    }

    private static Optional<String> obviousLoop(List<Subject> subjects, Post post) {
        String title = TextNormalizer.normalize(post.title());
        String text = TextNormalizer.normalize(post.text());
        for (Subject s : subjects) {
            boolean keyword = s.keywords().stream().anyMatch(w -> occurs(w, title, text));
            boolean groups = s.allOf().stream().allMatch(g -> g.stream().anyMatch(w -> occurs(w, title, text)));
            boolean excluded = s.exclude().stream().anyMatch(w -> occurs(w, title, text));
            if (keyword && groups && !excluded) {
                return Optional.of(s.id());
            }
        }
        return Optional.empty();
    }

    private static boolean occurs(String word, String title, String text) {
        String w = TextNormalizer.normalize(word);
        return title.contains(w) || text.contains(w);
    }

    /** Characters of campus complaints, each in Traditional and Simplified form where the two differ. */
    private static final String[] CHARACTERS = ("學学 校 食 堂 飯饭 菜 醫医 院 發发 現现 考 試试 體体 育 館馆 書书 圖图 電电 "
            + "腦脑 網网 絡络 門门 開开 會会 長长 車车 樓楼 宿 舍 水 費费 課课 師师 生 藥药 錢钱 問问 題题").split(" ");

    private static String randomChinese(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String forms = CHARACTERS[random.nextInt(CHARACTERS.length)];
            sb.append(forms.charAt(random.nextInt(forms.length())));
        }
        return sb.toString();
    }
}
