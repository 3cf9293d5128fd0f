package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TimeTextTest {
    private static final TimeText UTC = new TimeText(ZoneOffset.UTC);
    private static final TimeText BEIJING = new TimeText(ZoneId.of("Asia/Shanghai"));
    private static final Instant NOW = Instant.parse("2024-05-21T02:00:00Z"); // 10:00 in Beijing

    /**
     * Every valid form of the Universal Feed Parser's date tests (tests/test_date_parsers.py), with the instant it
     * expects; a time without a zone is read in UTC here, as that parser reads it.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Κυρ, 11 Ιούλ 2004 12:00:00 EST | 2004-07-11T17:00:00Z",
            "2004-július-13T9:15-05:00 | 2004-07-13T14:15:00Z",
            "-0312 | 2003-12-01T00:00:00Z",
            "031231 | 2003-12-31T00:00:00Z",
            "03-12-31 | 2003-12-31T00:00:00Z",
            "-03-12 | 2003-12-01T00:00:00Z",
            "03335 | 2003-12-01T00:00:00Z",
            "2003-12-31T10:14:55.1234Z | 2003-12-31T10:14:55.1234Z",
            "2003-012-31T10:14:55+00:00 | 2003-12-31T10:14:55Z",
            "Fri, 2006/09/15 08:19:53 EDT | 2006-09-15T12:19:53Z",
            "Thu, 30 Apr 2015 08:57:00 MET | 2015-04-30T07:57:00Z",
            "Thu, 30 Apr 2015 08:57:00 MEST | 2015-04-30T06:57:00Z",
            "Thu, 01 Jan 0100 00:00:01 +0100 | 0099-12-31T23:00:01Z",
            "Thu, 01 Jan 04 19:48:21 GMT | 2004-01-01T19:48:21Z",
            "Thu, 01 Jan 2004 19:48:21 GMT | 2004-01-01T19:48:21Z",
            "Thu,  5 Apr 2012 10:00:00 GMT | 2012-04-05T10:00:00Z",
            "Wed, 19 Aug 2009 18:28:00 Etc/GMT | 2009-08-19T18:28:00Z",
            "Wed, 19 Feb 2012 22:40:00 GMT-01:01 | 2012-02-19T23:41:00Z",
            "Wed, 19 Feb 2012 22:40:00 -01:01 | 2012-02-19T23:41:00Z",
            "'Mon, 13 Feb, 2012 06:28:00 UTC' | 2012-02-13T06:28:00Z",
            "Thu, 01 Jan 2004 00:00 GMT | 2004-01-01T00:00:00Z",
            "Thu, 01 Jan 2004 | 2004-01-01T00:00:00Z",
            "Mon, 26 January 2004 16:31:00 AT | 2004-01-26T20:31:00Z",
            "Mon, 26 January 2004 16:31:00 ET | 2004-01-26T21:31:00Z",
            "Mon, 26 January 2004 16:31:00 CT | 2004-01-26T22:31:00Z",
            "Mon, 26 January 2004 16:31:00 MT | 2004-01-26T23:31:00Z",
            "Mon, 26 January 2004 16:31:00 PT | 2004-01-27T00:31:00Z",
            "Thu Aug 30 2012 17:26:16 +0200 | 2012-08-30T15:26:16Z",
            "Fri,24 Nov 2023 18:28:36 -0000 | 2023-11-24T18:28:36Z",
            "Sun Jan  4 16:29:06 2004 | 2004-01-04T16:29:06Z",
            "Sun Jul 15 01:16:00 +0000 2012 | 2012-07-15T01:16:00Z",
            "2003-12-31T10:14:55Z | 2003-12-31T10:14:55Z",
            "2003-12-31T10:14:55-08:00 | 2003-12-31T18:14:55Z",
            "2003-12-31T18:14:55+08:00 | 2003-12-31T10:14:55Z",
            "2007-04-23T23:25:47.538+10:00 | 2007-04-23T13:25:47.538Z",
            "2003-12-31 | 2003-12-31T00:00:00Z",
            "2003-12 | 2003-12-01T00:00:00Z",
            "2003 | 2003-01-01T00:00:00Z",
            "2004-02-28T18:14:55-08:00 | 2004-02-29T02:14:55Z",
            "2003-02-28T18:14:55-08:00 | 2003-03-01T02:14:55Z",
            "2000-02-28T18:14:55-08:00 | 2000-02-29T02:14:55Z",
            "2004-07-08 23:56:58 -00:20 | 2004-07-09T00:16:58Z",
            "2004-07-08 23:56:58 | 2004-07-08T23:56:58Z",
            "2004-07-08 23:56:58.0 | 2004-07-08T23:56:58Z",
    })
    void everyValidFormOfTheFeedParserDateTests(String text, String expected) {
        assertEquals(Optional.of(Instant.parse(expected)), UTC.read(text, NOW), text);
    }

    @Test
    void koreanFormsAreInTheSourcesZone() {
        TimeText seoul = new TimeText(ZoneId.of("Asia/Seoul"));
        assertEquals(Optional.of(Instant.parse("2004-05-25T14:23:17Z")), seoul.read("2004-05-25 오후 11:23:17", NOW));
        assertEquals(Optional.of(Instant.parse("2004-05-27T16:31:15Z")), seoul.read("2004년 05월 28일  01:31:15", NOW));
    }

    /** The forms of the issue that were read wrong or not at all: zone names, a wrong weekday, no time, slashes, two-digit years. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Mon, 20 May 2024 21:03:00 EST | 2024-05-21T02:03:00Z",
            "Mon, 20 May 2024 21:03:00 PDT | 2024-05-21T04:03:00Z",
            "Mon, 20 May 2024 21:03:00 UT | 2024-05-20T21:03:00Z",
            "Mon, 20 May 2024 21:03:00 Z | 2024-05-20T21:03:00Z",
            "Fri, 20 May 2024 21:03:00 GMT | 2024-05-20T21:03:00Z",
            "Mon, 20 May 2024 | 2024-05-19T16:00:00Z",
            "2024/05/20 21:03 | 2024-05-20T13:03:00Z",
            "2024/05/20 21:03:07 | 2024-05-20T13:03:07Z",
            "Mon, 20 May 24 21:03:00 +0800 | 2024-05-20T13:03:00Z",
            "Thu, 20 May 99 21:03:00 +0000 | 1999-05-20T21:03:00Z",
    })
    void formsFeedsWriteInTheWild(String text, String expected) {
        assertEquals(Optional.of(Instant.parse(expected)), BEIJING.read(text, NOW), text);
    }

    @Test
    void cstIsChinaStandardTimeForASourceInChinaAndUsCentralElsewhere() {
        assertEquals(Optional.of(Instant.parse("2024-05-20T13:03:00Z")), BEIJING.read("Mon, 20 May 2024 21:03:00 CST", NOW));
        assertEquals(Optional.of(Instant.parse("2024-05-20T13:03:00Z")), BEIJING.read("Mon May 20 21:03:00 CST 2024", NOW));
        assertEquals(Optional.of(Instant.parse("2024-05-21T03:03:00Z")), UTC.read("Mon, 20 May 2024 21:03:00 CST", NOW));
    }

    /** Forum times, in the forum's language and zone, found inside the text around them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "发表于 2024-5-20 21:03 | 2024-05-20T13:03:00Z",
            "2024-5-20 21:03 | 2024-05-20T13:03:00Z",
            "昨天 21:03 | 2024-05-20T13:03:00Z",
            "昨天&nbsp;21:03 | 2024-05-20T13:03:00Z",
            "前天 08:15 | 2024-05-19T00:15:00Z",
            "今天 09:30 | 2024-05-21T01:30:00Z",
            "3 分钟前 | 2024-05-21T01:57:00Z",
            "半小时前 | 2024-05-21T01:30:00Z",
            "2 小时前 | 2024-05-21T00:00:00Z",
            "刚刚 | 2024-05-21T02:00:00Z",
            "27 Apr 2011 23:57 | 2011-04-27T15:57:00Z",
            "2011年4月27日 | 2011-04-26T16:00:00Z",
            "2011年4月27日 星期三 23:57 | 2011-04-27T15:57:00Z",
            "2024年5月20日 下午 3:20 | 2024-05-20T07:20:00Z",
            "by zhang_wei » Tue Apr 27, 2011 11:57 pm | 2011-04-27T15:57:00Z",
            "Posted: Fri Nov 06, 2009 5:37 pm | 2009-11-06T09:37:00Z",
            "by May » Tue Apr 27, 2011 12:05 am | 2011-04-26T16:05:00Z",
            "Today, 9:15 am | 2024-05-21T01:15:00Z",
            "Yesterday, 10:15 pm | 2024-05-20T14:15:00Z",
            "5 minutes ago | 2024-05-21T01:55:00Z",
    })
    void forumTimesInTheForumsZone(String text, String expected) {
        assertEquals(Optional.of(Instant.parse(expected)), BEIJING.read(text.replace("&nbsp;", "\u00A0"), NOW), text);
    }

    /** Day first with dots, as German boards write times (phpBB's "d.m.Y, H:i"), in the board's zone. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "von r23 » 21.01.2009, 05:42 | 2009-01-21T04:42:00Z",
            "21.01.2009, 05:42 | 2009-01-21T04:42:00Z",
            "05.07.2013 09:12:30 | 2013-07-05T07:12:30Z",
            "1.2.2024 | 2024-01-31T23:00:00Z",
    })
    void dayFirstDatesWithDotsInTheBoardsZone(String text, String expected) {
        assertEquals(Optional.of(Instant.parse(expected)), new TimeText(ZoneId.of("Europe/Berlin")).read(text, NOW), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"昨天下午", "20/5/2024", "32.01.2009", "v1.2.2024", "1.2.3.2024", "Sun, 99 Jun 2009 12:00:00 GMT", "Sun, 16 zzz 2012 11:47:32 GMT",
            "2003-12-31T25:14:55Z", "9999-12-31T23:59:59-99:99", "2013-xx-27", "013", "soon", "''"})
    void whatIsNoTimeIsNotGuessed(String text) {
        assertEquals(Optional.empty(), BEIJING.read(text, NOW), text);
    }
}
