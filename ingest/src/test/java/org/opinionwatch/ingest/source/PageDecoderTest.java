package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PageDecoderTest {
    private static final Charset GBK = Charset.forName("GBK");

    @Test
    void gbkPageIsDecodedByItsMetaDeclarationAsGb18030() throws Exception {
        PageDecoder.Decoded page = PageDecoder.decode(Pages.bytes("discuz-thread.gbk.html"), "text/html");
        assertEquals(PageDecoder.GB18030, page.charset());
        assertEquals("GB18030 (<meta> charset)", page.basis());
        assertTrue(page.text().contains("食堂饭菜里吃出虫子，学校什么时候给个说法？"));
    }

    @Test
    void headerCharsetComesFirst() throws Exception {
        PageDecoder.Decoded page = PageDecoder.decode(Pages.bytes("phpbb-thread.html"), "text/html; charset=\"UTF-8\"");
        assertEquals(StandardCharsets.UTF_8, page.charset());
        assertEquals("UTF-8 (Content-Type header)", page.basis());
        assertTrue(page.text().contains("7号宿舍楼热水停了三天"));
    }

    @Test
    void gb2312DeclarationReadsCharactersOnlyGbkHas() throws Exception {
        String html = "<meta charset=gb2312><p>镕基 喆 €</p>"; // 镕 and 喆 are not in GB 2312, € is GBK's 0x80
        PageDecoder.Decoded page = PageDecoder.decode(html.getBytes(GBK), null);
        assertEquals(html, page.text());
    }

    @Test
    void aHeaderTheBytesContradictIsSkippedAndRecorded() throws Exception {
        // a GBK forum behind a server configured to say UTF-8 for everything
        PageDecoder.Decoded page = PageDecoder.decode(Pages.bytes("discuz-thread.gbk.html"), "text/html; charset=utf-8");
        assertEquals(PageDecoder.GB18030, page.charset());
        assertTrue(page.basis().matches("GB18030 \\(<meta> charset\\); Content-Type header said UTF-8, but the bytes at offset \\d+ \\(.*\\) are invalid"),
                page.basis());
        assertTrue(page.text().contains("青溪小胖"));
    }

    @Test
    void validUtf8WinsOverAGb2312Declaration() throws Exception {
        String html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>"
                + "<body><p>热水停了三天</p><p>食堂</p></body></html>";
        PageDecoder.Decoded page = PageDecoder.decode(html.getBytes(StandardCharsets.UTF_8), null);
        assertEquals("UTF-8 (valid UTF-8); <meta> charset said GB18030, but the page is valid UTF-8", page.basis());
        assertEquals(html, page.text());
    }

    @Test
    void withoutDeclarationUtf8IsTriedBeforeTheDetectorAndGb18030() throws Exception {
        String html = "<p>宿舍楼热水停了三天，后勤一直说在修</p>";
        PageDecoder.Decoded utf8 = PageDecoder.decode(html.getBytes(StandardCharsets.UTF_8), "text/html");
        assertEquals("UTF-8 (valid UTF-8)", utf8.basis());
        assertEquals(html, utf8.text());
        PageDecoder.Decoded gbk = PageDecoder.decode(html.getBytes(GBK), "text/html");
        assertEquals(PageDecoder.GB18030, gbk.charset());
        assertEquals("GB18030 (detected by ICU4J, confidence 100)", gbk.basis());
        assertEquals(html, gbk.text());
        // two characters are too few for the detector to tell GBK from Big5 or EUC-KR: the region's charset comes first
        PageDecoder.Decoded shortText = PageDecoder.decode("<p>食堂</p>".getBytes(GBK), "text/html");
        assertEquals("GB18030 (fallback for undeclared Chinese pages)", shortText.basis());
        assertEquals("<p>食堂</p>", shortText.text());
    }

    @Test
    void xmlEncodingDeclarationIsRead() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"GBK\"?><rss version=\"2.0\"><channel><title>江城日报</title></channel></rss>";
        PageDecoder.Decoded feed = PageDecoder.decode(xml.getBytes(GBK), "application/rss+xml");
        assertEquals("GB18030 (<?xml encoding>)", feed.basis());
        assertEquals(xml, feed.text());
    }

    @Test
    void byteOrderMarkDecidesAloneAndIsRemoved() throws Exception {
        byte[] body = ("\uFEFF<meta charset=gbk><p>食堂</p>").getBytes(StandardCharsets.UTF_8);
        PageDecoder.Decoded page = PageDecoder.decode(body, "text/html; charset=gbk");
        assertEquals("UTF-8 (byte-order mark)", page.basis());
        assertEquals("<meta charset=gbk><p>食堂</p>", page.text());
    }

    @Test
    void invalidBytesAreRejectedWithTheirOffsetNotReplaced() {
        byte[] page = Pages.bytes("discuz-thread.gbk.html");
        byte[] damaged = page.clone();
        int at = indexOf(page, "二食堂".getBytes(GBK)) + 1; // the trail byte of 二 becomes '<': a lead byte left alone
        damaged[at] = '<';
        UnreadablePageException e = assertThrows(UnreadablePageException.class, () -> PageDecoder.decode(damaged, null));
        assertTrue(e.getMessage().matches("undecodable page: not UTF-8: the bytes at offset \\d+ \\(.*\\) are invalid; "
                + "<meta> charset said GB18030, but the bytes at offset " + (at - 1) + " \\(B6 3C .*\\) are invalid"), e.getMessage());
    }

    @Test
    void anUnknownCharsetIsNamedInTheBasis() throws Exception {
        PageDecoder.Decoded page = PageDecoder.decode("<p>ok</p>".getBytes(StandardCharsets.US_ASCII), "text/html; charset=x-klingon");
        assertEquals("UTF-8 (valid UTF-8); Content-Type header declared the unknown charset 'x-klingon'", page.basis());
    }

    @Test
    void xmlInUtf16OrUtf32IsKnownByItsFirstBytesWithoutAByteOrderMark() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>江城日报</title></channel></rss>";
        for (String charset : new String[] {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
            PageDecoder.Decoded feed = PageDecoder.decode(xml.getBytes(Charset.forName(charset)), "application/rss+xml");
            assertEquals(charset + " (the document's first bytes)", feed.basis());
            assertEquals(xml, feed.text());
        }
        PageDecoder.Decoded bare = PageDecoder.decode("<rss/>".getBytes(StandardCharsets.UTF_16LE), null);
        assertEquals("<rss/>", bare.text());
    }

    @Test
    void utf32ByteOrderMarksAreNotTakenForUtf16() throws Exception {
        for (String charset : new String[] {"UTF-32LE", "UTF-32BE"}) {
            byte[] body = ("\uFEFF<feed><title>食堂</title></feed>").getBytes(Charset.forName(charset));
            PageDecoder.Decoded feed = PageDecoder.decode(body, null);
            assertEquals(charset + " (byte-order mark)", feed.basis());
            assertEquals("<feed><title>食堂</title></feed>", feed.text());
        }
    }

    /** Undeclared legacy charsets, named by the detector instead of read as GB18030. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "EUC-JP | 学校の食堂で出された料理に虫が入っていたという投稿が、昨日から掲示板で話題になっています。学校側はまだ説明していません。",
            "Shift_JIS | 学校の食堂で出された料理に虫が入っていたという投稿が、昨日から掲示板で話題になっています。学校側はまだ説明していません。",
            "EUC-KR | 학교 식당에서 나온 음식에 벌레가 들어 있었다는 글이 어제부터 게시판에서 화제가 되고 있습니다. 학교는 아직 설명하지 않았습니다.",
            "KOI8-R | В школьной столовой нашли насекомое в обеде, и об этом со вчерашнего дня говорят на форуме. Школа пока ничего не объяснила.",
            "windows-1255 | בחדר האוכל של בית הספר נמצא חרק בארוחה, ומאתמול מדברים על כך בפורום. בית הספר עדיין לא הסביר דבר.",
    })
    void undeclaredLegacyCharsetsAreDetected(String charset, String sentence) throws Exception {
        String xml = "<rss version=\"2.0\"><channel><item><title>" + sentence + "</title><description>" + sentence + " " + sentence
                + "</description></item></channel></rss>";
        PageDecoder.Decoded feed = PageDecoder.decode(xml.getBytes(Charset.forName(charset)), null);
        assertEquals(xml, feed.text(), feed.basis());
        assertTrue(feed.basis().contains("detected by ICU4J"), feed.basis());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
