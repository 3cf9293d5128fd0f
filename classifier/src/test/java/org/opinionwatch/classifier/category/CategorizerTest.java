package org.opinionwatch.classifier.category;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CategorizerTest {
    private final Categorizer bundled = new Categorizer(Lexicons.bundled());

    private Categorization of(String text) {
        return bundled.categorize("", text);
    }

    @Test
    void eachCategoryFromARealisticPost() {
        assertEquals(ContentCategory.INQUIRY, of("请问今年的奖学金什么时候发放？").primary());
        assertEquals(ContentCategory.COMPLAINT, of("向后勤处投诉了三次，宿舍漏水一直没人管").primary());
        assertEquals(ContentCategory.SUGGESTION, of("建议图书馆期末周延长开放时间到晚上十一点").primary());
        assertEquals(ContentCategory.PERSONAL_DEMAND, of("宿舍停水一周，学校必须退费，给个说法").primary());
        assertEquals(ContentCategory.RUMOUR, of("网传我校明天全体停课，有没有人求证一下").primary());
        assertEquals(ContentCategory.ATTACK, of("这个中介就是骗子，大家人肉他！").primary());
        assertEquals(ContentCategory.PRAISE, of("为宿管阿姨点赞，大冬天辛苦了").primary());
    }

    @Test
    void aRumourFromWeiboCedWithItsChainLetterAppeal() {
        // Original post of a confirmed rumour in the dataset (2012).
        Categorization c = of("紧急通知，汕头市出事了！揭阳市出事了！大家一定要互相转告，有几个人拿着香皂，到人家里去推销，"
                + "说你闻这香皂，特香，等你一闻，一两分钟的时间，就晕过去了，他就把值钱的东西都拿走了，大家一定要转发。");
        assertTrue(c.categories().contains(ContentCategory.RUMOUR));
        assertTrue(c.needsReply());
    }

    @Test
    void nothingMatchedIsNeutralAndNeedsNoReply() {
        Categorization c = of("今天图书馆人很多，三楼靠窗的位置都满了");
        assertEquals(Set.of(ContentCategory.NEUTRAL), c.categories());
        assertEquals(ContentCategory.NEUTRAL, c.primary());
        assertEquals(Set.of(), c.domains());
        assertFalse(c.needsReply());
    }

    @Test
    void praiseNeedsNoReplyButPraiseWithAComplaintDoes() {
        assertFalse(of("感谢食堂师傅，今天的饭菜很好吃").needsReply());
        Categorization mixed = of("感谢辅导员帮忙，但宿舍管理处真是不作为");
        assertEquals(Set.of(ContentCategory.PRAISE, ContentCategory.COMPLAINT), mixed.categories());
        assertEquals(ContentCategory.COMPLAINT, mixed.primary());
        assertTrue(mixed.needsReply());
    }

    @Test
    void primaryFollowsThePrecedence() {
        Categorization c = of("请问学校为什么不作为？据说处分名单已经定了，那个辅导员就是个人渣");
        assertEquals(Set.of(ContentCategory.INQUIRY, ContentCategory.COMPLAINT, ContentCategory.RUMOUR,
                ContentCategory.ATTACK), c.categories());
        assertEquals(ContentCategory.ATTACK, c.primary());
        assertEquals(ContentCategory.RUMOUR, of("听说食堂要涨价，请问是真的吗").primary());
        assertEquals(ContentCategory.PERSONAL_DEMAND, of("请问怎么办理退费").primary());
        assertEquals(ContentCategory.INQUIRY, of("请问能否建议学校多开几个自习室").primary());
    }

    @Test
    void eachSensitiveDomainFromARealisticPost() {
        assertEquals(Set.of(SensitiveDomain.EMERGENCY), of("实验楼三层突发火灾，学生正在疏散").domains());
        assertEquals(Set.of(SensitiveDomain.PUBLIC_SAFETY), of("昨晚校门口有人持刀抢劫").domains());
        assertEquals(Set.of(SensitiveDomain.FOOD), of("二食堂的饭菜里吃出一只苍蝇").domains());
        assertEquals(Set.of(SensitiveDomain.HEALTH), of("我们宿舍楼出现了肺结核病例").domains());
        assertEquals(Set.of(SensitiveDomain.NATURAL_DISASTER), of("台风过境，暴雨导致校园多处积水").domains());
        assertEquals(Set.of(SensitiveDomain.PRODUCTION_QUALITY), of("新采购的实验设备存在质量问题，已被厂家召回").domains());
        assertEquals(Set.of(SensitiveDomain.SECURITY_SECRECY), of("有人在网上泄露了期末考试试卷").domains());
        assertEquals(Set.of(SensitiveDomain.FOOD, SensitiveDomain.HEALTH), of("食堂出现食物中毒，多名学生被送往医院").domains());
    }

    @Test
    void titleAndTextBothCount() {
        Categorization c = bundled.categorize("关于宿舍热水的投诉", "已经三天没有热水了，请问什么时候修好？");
        assertEquals(Set.of(ContentCategory.COMPLAINT, ContentCategory.INQUIRY), c.categories());
        assertEquals(Set.of(ContentCategory.NEUTRAL), bundled.categorize(null, null).categories());
    }

    @Test
    void englishWordsMatchAsWholeWordsRegardlessOfCase() {
        assertEquals(ContentCategory.INQUIRY, of("Does anyone know when the library reopens?").primary());
        assertEquals(ContentCategory.PRAISE, of("Great job to the volunteers, THANK YOU").primary());
        Categorization c = of("The cafeteria food is terrible and nobody cares");
        assertEquals(ContentCategory.COMPLAINT, c.primary());
        assertEquals(Set.of(), c.domains(), "a canteen's taste is a complaint, not a food-safety incident");
        assertEquals(Set.of(SensitiveDomain.FOOD), of("Students got food poisoning at the cafeteria").domains());
        assertEquals(Set.of(SensitiveDomain.SECURITY_SECRECY), of("The exam papers were leaked").domains());
        assertEquals(Set.of(), of("A bleak winter; she is fluent in French").domains(), "no 'leak' in bleak, no 'flu' in fluent");
    }

    @Test
    void fullWidthFormsAreNormalized() {
        assertEquals(ContentCategory.PRAISE, of("Ｔｈａｎｋ　ｙｏｕ").primary());
    }

    @Test
    void anOverrideReplacesTheBundledListOfThatNameOnly() {
        Categorizer c = new Categorizer(Lexicons.withOverrides(
                Map.of("praise", List.of("太牛了", "Awesome")), Map.of("food", List.of("奶茶"))));
        assertEquals(ContentCategory.NEUTRAL, c.categorize("", "为宿管阿姨点赞").primary(), "bundled praise words are gone");
        assertEquals(ContentCategory.PRAISE, c.categorize("", "校队太牛了").primary());
        assertEquals(ContentCategory.PRAISE, c.categorize("", "awesome team").primary(), "override words are normalized");
        assertEquals(ContentCategory.INQUIRY, c.categorize("", "请问什么时候开学").primary(), "other lists stay bundled");
        assertEquals(Set.of(SensitiveDomain.FOOD), c.categorize("", "校门口奶茶店").domains());
        assertEquals(Set.of(), c.categorize("", "二食堂").domains());
    }

    @Test
    void anUnknownOverrideIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Lexicons.withOverrides(Map.of("complaints", List.of("差")), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Lexicons.withOverrides(Map.of(), Map.of("neutral", List.of("x"))));
    }

    @Test
    void everyBundledLexiconHasWords() {
        Lexicons lexicons = Lexicons.bundled();
        for (ContentCategory category : ContentCategory.values()) {
            assertEquals(category == ContentCategory.NEUTRAL, lexicons.words(category).isEmpty(), category.name());
        }
        for (SensitiveDomain domain : SensitiveDomain.values()) {
            assertFalse(lexicons.words(domain).isEmpty(), domain.name());
        }
    }
}
