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
    void withoutDeclarationUtf8IsTriedBeforeGb18030() throws Exception {
        String html = "<p>宿舍楼热水停了三天，后勤一直说在修</p>";
        PageDecoder.Decoded utf8 = PageDecoder.decode(html.getBytes(StandardCharsets.UTF_8), "text/html");
        assertEquals("UTF-8 (valid UTF-8)", utf8.basis());
        assertEquals(html, utf8.text());
        PageDecoder.Decoded gbk = PageDecoder.decode(html.getBytes(GBK), "text/html");
        assertEquals(PageDecoder.GB18030, gbk.charset());
        assertEquals("GB18030 (fallback for undeclared Chinese pages)", gbk.basis());
        assertEquals(html, gbk.text());
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
