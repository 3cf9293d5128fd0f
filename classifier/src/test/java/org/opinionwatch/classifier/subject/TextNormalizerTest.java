package org.opinionwatch.classifier.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    private static String n(String s) {
        return TextNormalizer.normalize(s);
    }

    @Test
    void traditionalAndSimplifiedChineseAlike() {
        assertEquals("学校食堂", n("學校食堂"));
        assertEquals("学校食堂", n("学校食堂"));
        assertEquals("后来头发台湾里面里面干净", n("後來頭髮臺灣裡面裏面乾淨"));
        assertEquals("体育馆医院发现郁闷", n("體育館醫院發現鬱悶"));
        assertEquals(n("显著"), n("顯著"), "著 is a Simplified character too, and maps the same in either text");
    }

    @Test
    void fullWidthFormsAreHalfWidth() {
        assertEquals("abc123", n("ＡＢＣ１２３"));
        assertEquals("wifi!?", n("ｗｉｆｉ！？"));
        assertEquals("bad food", n("ｂａｄ　ｆｏｏｄ"), "the ideographic space U+3000 is a space");
        assertEquals("食堂", n("食堂\uFF61").substring(0, 2));
    }

    @Test
    void caseIgnored() {
        assertEquals("canteen wifi", n("The CANTEEN WiFi").substring(4));
        assertEquals("ärger", n("ÄRGER"));
    }

    @Test
    void whitespaceCollapsedAndDroppedNextToChineseCharacters() {
        assertEquals("食堂", n("食 堂"));
        assertEquals("食堂", n("食　堂"), "ideographic space");
        assertEquals("食堂", n("食 \t\n 堂"));
        assertEquals("学校食堂很差", n("  學 校　食 堂   很差  "));
        assertEquals("iphone手机", n("iPhone 手机"));
        assertEquals("bad food here", n("  bad \t food\u00A0\u00A0here \n"), "no-break spaces too");
    }

    @Test
    void invisibleFormatCharactersDropped() {
        assertEquals("食堂", n("食\u200B堂"), "zero-width space");
        assertEquals("食堂", n("\uFEFF食\u200D堂\u2060"));
        assertEquals("canteen", n("can\u00ADteen"), "soft hyphen");
    }

    @Test
    void punctuationVariantsAlike() {
        assertEquals("<人民日报>", n("《人民日報》"));
        assertEquals("\"食堂\"", n("“食堂”"));
        assertEquals("\"食堂\"", n("「食堂」"));
        assertEquals("\"食堂\"", n("\"食堂\""));
        assertEquals("[通知]", n("【通知】"));
        assertEquals("结束.", n("結束。"));
        assertEquals("马克·吐温", n("馬克・吐溫"));
        assertEquals("2024-2025", n("2024—2025"));
        assertEquals("it's", n("It’s"));
    }

    @Test
    void idempotentOnEveryCharacter() {
        // Every code point alone and between Chinese characters: a keyword normalized once must equal a post
        // normalized once whatever the order, so normalize(normalize(x)) must be normalize(x).
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isDefined(cp) || Character.isSurrogate((char) cp) && cp <= Character.MAX_VALUE) {
                continue;
            }
            String s = "食" + Character.toString(cp) + "堂 a" + Character.toString(cp) + "b";
            String once = n(s);
            assertEquals(once, n(once), () -> "U+" + Integer.toHexString(s.codePointAt(1)));
        }
    }
}
