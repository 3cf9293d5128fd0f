package org.opinionwatch.launcher.report;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.Duty;

/**
 * What a run asked of people, counted the way the office feels it: notifications per incident (a digest once for each
 * incident it lists; the daily reports, one a day whatever they list, apart), by the highest level the incident
 * reached, and per role; and the plan's promises checked on every notification: no bulletin but the closing one
 * about an incident below MAJOR, nothing about a MINOR or GENERAL incident delivered at night, more Chinese
 * characters than Latin letters in the text, no duty the plan gave a role left out of what that role was sent.
 *
 * @param all notifications per incident, over every incident of the run
 * @param byPeak the same by the highest level each incident reached
 * @param byRole notifications (a digest once for each incident it lists) per role
 * @param dailyReports how many daily reports went out (to the leadership group and to the office)
 * @param bulletinsBelowMajor bulletins other than closing ones about an incident below MAJOR at that instant
 * @param atNight notifications about a MINOR or GENERAL incident delivered between {@link #NIGHT_FROM} and
 *     {@link #NIGHT_TO} in the plan's zone
 * @param notChinese notifications whose own text (links, ids and quoted posts aside) has no more Chinese characters
 *     than Latin letters
 * @param dutiesLeftOut duties the plan gave a role that no notification to it listed; null when the run's cases were
 *     not read
 */
public record Budget(Spread all, Map<Level, Spread> byPeak, Map<Role, Long> byRole, long dailyReports, long bulletinsBelowMajor,
                     long atNight, long notChinese, Long dutiesLeftOut) {
    /** The night as the figures count it, in the plan's zone. */
    public static final LocalTime NIGHT_FROM = LocalTime.of(22, 0);
    public static final LocalTime NIGHT_TO = LocalTime.of(7, 0);
    private static final Pattern LINK = Pattern.compile("https?://\\S+");
    /** A quoted post: its title as the plan quotes it, 「...」 in Chinese and "..." in English. */
    private static final Pattern QUOTED = Pattern.compile("「[^」]*」|\"[^\"]*\"");

    /**
     * How many notifications the incidents of a group got each.
     *
     * @param p95 the nearest-rank 95th percentile
     */
    public record Spread(int incidents, double median, long p95, long max) {
        static Spread of(Collection<Long> counts) {
            List<Long> sorted = new ArrayList<>(counts);
            sorted.sort(null);
            int n = sorted.size();
            if (n == 0) {
                return new Spread(0, 0, 0, 0);
            }
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
            return new Spread(n, median, sorted.get((int) Math.ceil(0.95 * n) - 1), sorted.get(n - 1));
        }
    }

    /**
     * @param changes every severity change of the run, in event-time order
     * @param cases the run's cases as the escalation stage left them, or null when they were not read
     */
    public static Budget of(List<SeverityChange> changes, List<Notification> notifications, Map<String, Case> cases, ZoneId zone) {
        Map<String, List<SeverityChange>> levels = new HashMap<>();
        Map<String, Level> peak = new TreeMap<>();
        for (SeverityChange c : changes) {
            levels.computeIfAbsent(c.incidentId(), k -> new ArrayList<>()).add(c);
            peak.merge(c.incidentId(), c.to(), (a, b) -> b.isAbove(a) ? b : a);
        }
        Map<String, Long> perIncident = new HashMap<>();
        peak.keySet().forEach(id -> perIncident.put(id, 0L));
        Map<Role, Long> byRole = new EnumMap<>(Role.class);
        long daily = 0;
        long bulletins = 0;
        long night = 0;
        long notChinese = 0;
        for (Notification n : notifications) {
            if (!chineseFirst(n)) {
                notChinese++;
            }
            if (n.kind() == Notification.Kind.DAILY_REPORT) {
                daily++;
                continue;
            }
            Instant delivered = n.deliverAt() != null ? n.deliverAt() : n.at();
            for (String id : n.incidents()) {
                perIncident.merge(id, 1L, Long::sum);
                byRole.merge(n.role(), 1L, Long::sum);
                Level level = levelAt(levels.getOrDefault(id, List.of()), n.at());
                if (n.duties().contains(Duty.BULLETIN.key()) && level.compareTo(Level.MAJOR) < 0) {
                    bulletins++;
                }
                if ((level == Level.MINOR || level == Level.GENERAL) && atNight(delivered, zone)) {
                    night++;
                }
            }
        }
        Map<Level, Spread> byPeak = new EnumMap<>(Level.class);
        for (Level l : List.of(Level.MINOR, Level.GENERAL, Level.MAJOR, Level.CRITICAL)) {
            byPeak.put(l, Spread.of(peak.entrySet().stream().filter(e -> e.getValue() == l).map(e -> perIncident.get(e.getKey())).toList()));
        }
        return new Budget(Spread.of(perIncident.values()), byPeak, byRole, daily, bulletins, night, notChinese,
                cases == null ? null : leftOut(cases, peak, notifications));
    }

    /** The incident's level at {@code at}: that of its latest change at or before it (changes at the same instant count). */
    static Level levelAt(List<SeverityChange> changes, Instant at) {
        Level level = Level.NONE;
        for (SeverityChange c : changes) {
            if (c.at().isAfter(at)) {
                break;
            }
            level = c.to();
        }
        return level;
    }

    static boolean atNight(Instant at, ZoneId zone) {
        LocalTime t = at.atZone(zone).toLocalTime();
        return !t.isBefore(NIGHT_FROM) || t.isBefore(NIGHT_TO);
    }

    /** More Chinese characters than Latin letters in the notification's own words: links, ids and quoted posts aside. */
    public static boolean chineseFirst(Notification n) {
        String text = (n.instructions() == null ? "" : n.instructions()) + "\n" + (n.report() == null ? "" : n.report());
        // The patterns only where they can match: a replay checks every notification, daily reports of many incidents too.
        if (text.contains("http")) {
            text = LINK.matcher(text).replaceAll(" ");
        }
        if (text.indexOf('「') >= 0 || text.indexOf('"') >= 0) {
            text = QUOTED.matcher(text).replaceAll(" ");
        }
        for (String id : n.incidents()) {
            text = text.replace(id, " ");
        }
        long chinese = 0;
        long latin = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c < 128) {
                latin += Character.isLetter(c) ? 1 : 0;
            } else if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                chinese++;
            }
            i += Character.charCount(c);
        }
        return chinese > latin;
    }

    /**
     * Every duty the plan gave (and did not hold back under a silence) must be in a notification to its role about
     * the incident: its own, or a digest that lists it; a MINOR incident's in an office daily report that lists it.
     */
    static long leftOut(Map<String, Case> cases, Map<String, Level> peak, List<Notification> notifications) {
        java.util.Set<String> sent = new java.util.HashSet<>();
        for (Notification n : notifications) {
            for (String id : n.incidents()) {
                n.duties().forEach(d -> sent.add(id + "|" + n.role() + "|" + d));
            }
        }
        long missing = 0;
        for (Case c : cases.values()) {
            boolean silenced = c.timeline().stream().anyMatch(l -> l.what().contains("静默") || l.what().startsWith("silenced"));
            for (Case.DutyState d : c.duties()) {
                if (d.given() != null && !silenced && !sent.contains(c.incidentId() + "|" + d.role() + "|" + d.duty())) {
                    missing++;
                }
            }
            if (peak.get(c.incidentId()) == Level.MINOR && !sent.contains(c.incidentId() + "|" + Role.OFFICE + "|" + Duty.INFORM_DEPARTMENT.key())) {
                missing++;
            }
        }
        return missing;
    }
}
