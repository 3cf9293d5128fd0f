package org.opinionwatch.ingest.source;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a time as feeds and forums write it, anywhere in a text ("发表于 2024-5-20 21:03", "by anna » Tue Apr 27, 2011
 * 11:57 pm"): RFC 822 and its variants (zone names, a wrong weekday, no seconds, no time, two-digit years, long month
 * names, day and month swapped, the asctime and Twitter orders), ISO 8601 and W3C forms (with or without a zone,
 * fractional seconds, year only, two-digit and ordinal forms), numeric dates with slashes or 年月日, day-first dates with
 * dots ("21.01.2009, 05:42"), Korean and Greek and Hungarian month and half-day words, and the relative times forums
 * show ("3 分钟前", "昨天 21:03", "Today, 10:15 am"). A time written without a zone is in the source's zone; a zone name
 * the source's own zone uses ("CST" in Asia/Shanghai) means that zone before the RFC 822 meaning (US Central).
 *
 * <p>java.time's formatters read one pattern each and would need dozens of them, tried in turn, for the forms above;
 * the forms are recognised here by their parts instead, so that an unknown word between them does no harm.
 */
public final class TimeText {
    private static final Pattern SHORT_ISO = Pattern.compile(
            "(?<yymmdd>\\d{2})(?<mm>\\d{2})(?<dd>\\d{2})|(?<y2>\\d{2})-(?<m2>\\d{2})-(?<d2>\\d{2})"
                    + "|-(?<y3>\\d{2})-?(?<m3>\\d{2})|(?<y4>\\d{2})(?<doy>\\d{3})|(?<year>\\d{4})(?:-(?<month>\\d{1,2}))?");
    private static final String HALF_DAY = "(?<half>오전|오후|上午|下午|晚上|凌晨|中午)";
    private static final String TIME = "(?<hour>\\d{1,2})[:：](?<minute>\\d{2})(?:[:：](?<second>\\d{2})(?:[.,](?<fraction>\\d{1,9}))?)?"
            + "(?:\\s*(?<ampm>[aApP]\\.?[mM]\\.?)(?![\\p{L}]))?";
    private static final String ZONE = "(?:\\s*(?<zone>[Zz](?![\\p{L}])|(?:UTC|GMT|UT)?\\s?[+-]\\d{1,2}(?::?\\d{2})?(?!\\d)|Etc/GMT|[A-Za-z]{1,5}(?![\\p{L}])))?";
    /** Year first: "2024-05-20 21:03", "2024/5/20", "2024年5月20日 星期一 21:03", "2004년 05월 28일 01:31:15", ISO 8601. */
    private static final Pattern YEAR_FIRST = Pattern.compile("(?<!\\d)(?<year>\\d{4})\\s*[-/.年년]\\s*(?<month>\\d{1,3}|\\p{L}+)\\s*[-/.月월]\\s*"
            + "(?<day>\\d{1,2})(?!\\d)(?:\\s*[日일])?(?:\\s*(?:[(（]?(?:星期|周|週)[一二三四五六日天][)）]?))?"
            + "(?:(?:[Tt]|\\s*[, ]\\s*|\\s+)\\s*" + HALF_DAY + "?\\s*" + TIME + ZONE + ")?");
    /** Day first with dots, as German, Russian or Polish boards write dates: "21.01.2009, 05:42", "05.03.2013 09:12:30". */
    private static final Pattern DAY_FIRST = Pattern.compile("(?<![\\d.\\p{L}])(?<day>\\d{1,2})\\.(?<month>\\d{1,2})\\.(?<year>\\d{4})(?!\\d)"
            + "(?:\\s*,?\\s*" + TIME + ZONE + ")?");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<time>\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)|(?<offset>[+-]\\d{2}:?\\d{2})(?!\\d)|(?<number>\\d+)|(?<word>[\\p{L}/]+)");
    private static final Pattern WORD_TIME = Pattern.compile("(?<hour>\\d{1,2}):(?<minute>\\d{2})(?::(?<second>\\d{2})(?:[.,](?<fraction>\\d{1,9}))?)?");
    private static final Pattern AGO = Pattern.compile("(?<n>\\d+|半)\\s*(?<unit>秒|分钟|分鐘|小时|小時|天|周|週)前"
            + "|(?<en>\\d+)\\s+(?<enunit>second|minute|hour|day|week)s?\\s+ago", Pattern.CASE_INSENSITIVE);
    private static final Pattern DAY_WORD = Pattern.compile("(?<word>前天|昨天|今天|yesterday|today)\\s*,?\\s*" + HALF_DAY + "?\\s*"
            + "(?<hour>\\d{1,2})[:：](?<minute>\\d{2})(?:[:：](?<second>\\d{2}))?(?:\\s*(?<ampm>[aApP]\\.?[mM]\\.?)(?![\\p{L}]))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern JUST_NOW = Pattern.compile("刚刚|剛剛|just now", Pattern.CASE_INSENSITIVE);

    /** Month names and their abbreviations, lower case, as English, Greek and Hungarian feeds write them. */
    private static final Map<String, Integer> MONTHS = new HashMap<>();
    /** RFC 822 zones and the names feeds commonly use besides them, in hours (or minutes where noted by a fraction). */
    private static final Map<String, Integer> ZONE_MINUTES = new HashMap<>();

    static {
        String[][] names = {
                {"january", "jan"}, {"february", "feb"}, {"march", "mar"}, {"april", "apr"}, {"may"}, {"june", "jun"},
                {"july", "jul"}, {"august", "aug"}, {"september", "sep", "sept"}, {"october", "oct"}, {"november", "nov"},
                {"december", "dec"},
                {"ιαν", "ιανουαρίου", "ιανουάριος"}, {"φεβ", "φεβρουαρίου", "φεβρουάριος"}, {"μάώ", "μάρ", "μαρ", "μαρτίου", "μάρτιος"},
                {"απρ", "απρ", "απριλίου", "απρίλιος"}, {"μάι", "μαΐ", "μαι", "μαΐου", "μάιος"}, {"ιούν", "ιον", "ιουν", "ιουνίου", "ιούνιος"},
                {"ιούλ", "ιολ", "ιουλ", "ιουλίου", "ιούλιος"}, {"αύγ", "αυγ", "αυγούστου", "αύγουστος"}, {"σεπ", "σεπτεμβρίου", "σεπτέμβριος"},
                {"οκτ", "οκτωβρίου", "οκτώβριος"}, {"νοέ", "νοε", "νοεμβρίου", "νοέμβριος"}, {"δεκ", "δεκεμβρίου", "δεκέμβριος"},
                {"január", "jan."}, {"február", "feb."}, {"március", "márc"}, {"április", "ápr"}, {"május", "máj"}, {"június", "jún"},
                {"július", "júl"}, {"augusztus", "aug."}, {"szeptember", "szept"}, {"október", "okt"}, {"november", "nov."},
                {"december", "dec."}};
        for (int i = 0; i < names.length; i++) {
            for (String name : names[i]) {
                MONTHS.putIfAbsent(name, i % 12 + 1);
            }
        }
        Object[][] zones = {{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0}, {"etc/gmt", 0}, {"wet", 0},
                {"est", -5 * 60}, {"edt", -4 * 60}, {"cst", -6 * 60}, {"cdt", -5 * 60}, {"mst", -7 * 60}, {"mdt", -6 * 60},
                {"pst", -8 * 60}, {"pdt", -7 * 60}, {"at", -4 * 60}, {"et", -5 * 60}, {"ct", -6 * 60}, {"mt", -7 * 60}, {"pt", -8 * 60},
                {"akst", -9 * 60}, {"akdt", -8 * 60}, {"hst", -10 * 60}, {"ast", -4 * 60}, {"adt", -3 * 60},
                {"bst", 60}, {"west", 60}, {"cet", 60}, {"met", 60}, {"cest", 120}, {"mest", 120}, {"eet", 120}, {"eest", 180},
                {"msk", 180}, {"ist", 330}, {"hkt", 480}, {"sgt", 480}, {"awst", 480}, {"jst", 540}, {"kst", 540},
                {"acst", 570}, {"aest", 600}, {"aedt", 660}, {"nzst", 720}, {"nzdt", 780}};
        for (Object[] zone : zones) {
            ZONE_MINUTES.put((String) zone[0], (Integer) zone[1]);
        }
    }

    private final ZoneId zone;
    private final Map<String, ZoneId> ownNames = new HashMap<>();

    /** @param zone the source's zone: of times written without one, and of the zone names it uses itself */
    public TimeText(ZoneId zone) {
        this.zone = zone;
        TimeZone timeZone = TimeZone.getTimeZone(zone);
        for (boolean daylight : new boolean[] {false, true}) {
            ownNames.put(timeZone.getDisplayName(daylight, TimeZone.SHORT, Locale.US).toLowerCase(Locale.ROOT), zone);
        }
        ownNames.put(zone.getDisplayName(TextStyle.SHORT, Locale.US).toLowerCase(Locale.ROOT), zone);
    }

    /**
     * The first time found in {@code text}.
     *
     * @param now when the text was observed: the reference of relative times ("3 分钟前")
     */
    public Optional<Instant> read(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.replace('\u00A0', ' ').replace('\u3000', ' ').strip();
        Instant found = shortIso(value);
        if (found == null) {
            found = yearFirst(value);
        }
        if (found == null) {
            found = dayFirst(value);
        }
        if (found == null) {
            found = words(value);
        }
        if (found == null) {
            found = relative(value, now);
        }
        return Optional.ofNullable(found);
    }

    /** The forms that are a whole value only (a bare "031231" inside a text is no date): W3C's year and year-month, ISO 8601's two-digit forms. */
    private Instant shortIso(String value) {
        Matcher m = SHORT_ISO.matcher(value);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date;
            if (m.group("yymmdd") != null) {
                date = LocalDate.of(century(m.group("yymmdd")), Integer.parseInt(m.group("mm")), Integer.parseInt(m.group("dd")));
            } else if (m.group("y2") != null) {
                date = LocalDate.of(century(m.group("y2")), Integer.parseInt(m.group("m2")), Integer.parseInt(m.group("d2")));
            } else if (m.group("y3") != null) {
                date = LocalDate.of(century(m.group("y3")), Integer.parseInt(m.group("m3")), 1);
            } else if (m.group("y4") != null) {
                date = LocalDate.ofYearDay(century(m.group("y4")), Integer.parseInt(m.group("doy")));
            } else {
                date = LocalDate.of(Integer.parseInt(m.group("year")), m.group("month") == null ? 1 : Integer.parseInt(m.group("month")), 1);
            }
            return date.atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private Instant yearFirst(String value) {
        Matcher m = YEAR_FIRST.matcher(value);
        while (m.find()) {
            Integer month = monthOf(m.group("month"));
            if (month == null) {
                continue;
            }
            try {
                LocalDate date = LocalDate.of(Integer.parseInt(m.group("year")), month, Integer.parseInt(m.group("day")));
                if (m.group("hour") == null) {
                    return date.atStartOfDay(zone).toInstant();
                }
                LocalTime time = time(m.group("hour"), m.group("minute"), m.group("second"), m.group("fraction"), m.group("ampm"), m.group("half"));
                Instant at = at(date.atTime(time), m.group("zone"));
                if (at != null) {
                    return at;
                }
            } catch (DateTimeException | NumberFormatException e) {
                // not a date after all (a 13th month, a 25th hour): look further on
            }
        }
        return null;
    }

    /** Only with dots: with slashes, "01/02/2024" is the 1st of February in Europe and the 2nd of January in the US. */
    private Instant dayFirst(String value) {
        Matcher m = DAY_FIRST.matcher(value);
        while (m.find()) {
            try {
                LocalDate date = LocalDate.of(Integer.parseInt(m.group("year")), Integer.parseInt(m.group("month")),
                        Integer.parseInt(m.group("day")));
                if (m.group("hour") == null) {
                    return date.atStartOfDay(zone).toInstant();
                }
                LocalTime time = time(m.group("hour"), m.group("minute"), m.group("second"), m.group("fraction"), m.group("ampm"), null);
                Instant at = at(date.atTime(time), m.group("zone"));
                if (at != null) {
                    return at;
                }
            } catch (DateTimeException e) {
                // not a date after all (a 13th month, a 25th hour): look further on
            }
        }
        return null;
    }

    private static Integer monthOf(String text) {
        if (text.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(text); // "012" is Google's December
        }
        return MONTHS.get(text.toLowerCase(Locale.ROOT));
    }

    /** RFC 822 and the other orders of a month name, a day, a year, a time and a zone ("Tue Apr 27, 2011 11:57 pm"). */
    private Instant words(String value) {
        List<Token> tokens = new ArrayList<>();
        Matcher t = TOKEN.matcher(value);
        while (t.find()) {
            String kind = t.group("time") != null ? "time" : t.group("offset") != null ? "offset" : t.group("number") != null ? "number" : "word";
            tokens.add(new Token(kind, t.group(), t.start()));
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            Integer month = token.kind.equals("word") ? MONTHS.get(token.text.toLowerCase(Locale.ROOT).replaceAll("\\.$", "")) : null;
            if (month == null) {
                continue;
            }
            Instant at = aroundMonth(tokens, i, month);
            if (at != null) {
                return at;
            }
        }
        return null;
    }

    /** The day just before or after the month name, then the year, the time and the zone in the few tokens that follow. */
    private Instant aroundMonth(List<Token> tokens, int monthAt, int month) {
        Integer day = null;
        int from = monthAt + 1;
        if (monthAt > 0 && isDay(tokens.get(monthAt - 1))) {
            day = Integer.parseInt(tokens.get(monthAt - 1).text);
        } else if (from < tokens.size() && isDay(tokens.get(from))) {
            day = Integer.parseInt(tokens.get(from).text);
            from++;
        }
        if (day == null) {
            return null;
        }
        Integer year = null;
        String time = null;
        String ampm = null;
        String zoneText = null;
        for (int i = from; i < Math.min(tokens.size(), from + 6); i++) {
            Token token = tokens.get(i);
            if (token.kind.equals("number") && year == null && (token.text.length() == 4 || token.text.length() == 2 && time == null)) {
                year = token.text.length() == 4 ? Integer.parseInt(token.text) : century(token.text);
            } else if (token.kind.equals("time") && time == null) {
                time = token.text;
            } else if (time != null && token.kind.equals("word") && token.text.matches("(?i)[ap]\\.?m\\.?") && ampm == null) {
                ampm = token.text;
            } else if (time != null && zoneText == null && (token.kind.equals("offset") || token.kind.equals("word") && isZone(token.text))) {
                zoneText = token.text;
                if (token.kind.equals("word") && i + 1 < tokens.size() && tokens.get(i + 1).kind.equals("offset")
                        && tokens.get(i + 1).start == token.start + token.text.length()) {
                    zoneText += tokens.get(++i).text; // GMT-01:01
                }
            } else if (token.kind.equals("number") || token.kind.equals("word") && MONTHS.containsKey(token.text.toLowerCase(Locale.ROOT))) {
                break; // another date's parts
            }
        }
        if (year == null) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(year, month, day);
            if (time == null) {
                return date.atStartOfDay(zone).toInstant();
            }
            Matcher m = WORD_TIME.matcher(time);
            if (!m.matches()) {
                return null;
            }
            return at(date.atTime(time(m.group("hour"), m.group("minute"), m.group("second"), m.group("fraction"), ampm, null)), zoneText);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean isDay(Token token) {
        return token.kind.equals("number") && token.text.length() <= 2;
    }

    private boolean isZone(String word) {
        String name = word.toLowerCase(Locale.ROOT);
        return ownNames.containsKey(name) || ZONE_MINUTES.containsKey(name);
    }

    private Instant relative(String value, Instant now) {
        if (now == null) {
            return null;
        }
        Matcher ago = AGO.matcher(value);
        if (ago.find()) {
            String unit = ago.group("unit") != null ? ago.group("unit") : ago.group("enunit").toLowerCase(Locale.ROOT);
            String n = ago.group("n") != null ? ago.group("n") : ago.group("en");
            Duration one = switch (unit) {
                case "秒", "second" -> Duration.ofSeconds(1);
                case "分钟", "分鐘", "minute" -> Duration.ofMinutes(1);
                case "小时", "小時", "hour" -> Duration.ofHours(1);
                case "天", "day" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return n.equals("半") ? now.minus(one.dividedBy(2)) : now.minus(one.multipliedBy(Long.parseLong(n)));
        }
        Matcher day = DAY_WORD.matcher(value);
        if (day.find()) {
            int back = switch (day.group("word").toLowerCase(Locale.ROOT)) {
                case "前天" -> 2;
                case "昨天", "yesterday" -> 1;
                default -> 0;
            };
            try {
                LocalTime time = time(day.group("hour"), day.group("minute"), day.group("second"), null, day.group("ampm"), day.group("half"));
                return now.atZone(zone).toLocalDate().minusDays(back).atTime(time).atZone(zone).toInstant();
            } catch (DateTimeException e) {
                return null;
            }
        }
        return JUST_NOW.matcher(value).find() ? now : null;
    }

    private static LocalTime time(String hour, String minute, String second, String fraction, String ampm, String half) {
        int h = Integer.parseInt(hour);
        boolean afternoon = ampm != null && Character.toLowerCase(ampm.charAt(0)) == 'p'
                || half != null && (half.equals("오후") || half.equals("下午") || half.equals("晚上"));
        boolean morning = ampm != null && Character.toLowerCase(ampm.charAt(0)) == 'a';
        if (afternoon && h < 12) {
            h += 12;
        } else if (morning && h == 12) {
            h = 0;
        }
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        return LocalTime.of(h, Integer.parseInt(minute), second == null ? 0 : Integer.parseInt(second), nanos);
    }

    /** A local time in the zone the text names, or the source's zone when it names none; null for a zone it cannot know. */
    private Instant at(LocalDateTime local, String zoneText) {
        if (zoneText == null || zoneText.isBlank()) {
            return local.atZone(zone).toInstant();
        }
        String name = zoneText.strip().toLowerCase(Locale.ROOT);
        if (ownNames.containsKey(name)) {
            return local.atZone(ownNames.get(name)).toInstant();
        }
        Integer minutes = ZONE_MINUTES.get(name);
        if (minutes != null) {
            return local.toInstant(ZoneOffset.ofTotalSeconds(minutes * 60));
        }
        Matcher offset = Pattern.compile("(?:utc|gmt|ut)?\\s?([+-])(\\d{1,2}):?(\\d{2})?").matcher(name);
        if (offset.matches()) {
            int hours = Integer.parseInt(offset.group(2));
            int mins = offset.group(3) == null ? 0 : Integer.parseInt(offset.group(3));
            if (hours > 18 || mins > 59) {
                return null;
            }
            int total = (hours * 60 + mins) * (offset.group(1).equals("-") ? -1 : 1);
            return local.toInstant(ZoneOffset.ofTotalSeconds(total * 60));
        }
        return local.atZone(zone).toInstant(); // an unknown word after the time is no zone ("Posted: ... by")
    }

    /** Two-digit years as RFC 5322 reads them: 00 to 49 are 2000 to 2049, 50 to 99 are 1950 to 1999. */
    private static int century(String twoDigits) {
        int year = Integer.parseInt(twoDigits);
        return year < 50 ? 2000 + year : 1900 + year;
    }

    private record Token(String kind, String text, int start) {
    }
}
