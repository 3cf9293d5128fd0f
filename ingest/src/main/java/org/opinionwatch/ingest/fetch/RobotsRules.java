package org.opinionwatch.ingest.fetch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of one site's robots.txt that apply to one crawler, as RFC 9309 defines them.
 *
 * <p>Groups: consecutive {@code User-agent} lines start a group, and its {@code Allow} and {@code Disallow} lines
 * follow. The crawler obeys every group naming its product token (case-insensitively, merged if there are several);
 * only if there is none, every group for {@code *}; with neither, nothing is disallowed. Other lines (Sitemap,
 * Crawl-delay, typos) are ignored, and so are rules before the first User-agent line.
 *
 * <p>Matching: a rule matches a path (with its query) that starts with the rule's path, where {@code *} stands for any
 * characters and a final {@code $} for the end of the path. The longest matching rule decides; of an Allow and a
 * Disallow of equal length, the Allow. Non-ASCII characters are compared percent-encoded as UTF-8 on both sides, and
 * percent-escapes case-insensitively, so a rule written with Chinese characters matches the encoded URL.
 */
public final class RobotsRules {
    /** No restrictions: what a missing or unreachable robots.txt means. */
    public static final RobotsRules ALLOW_ALL = new RobotsRules(List.of());

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private record Rule(boolean allow, String path, Pattern pattern) {
        static Rule of(boolean allow, String path) {
            String normalized = normalize(path);
            StringBuilder regex = new StringBuilder();
            boolean anchored = normalized.endsWith("$");
            String body = anchored ? normalized.substring(0, normalized.length() - 1) : normalized;
            int start = 0;
            for (int star = body.indexOf('*'); star >= 0; star = body.indexOf('*', start)) {
                regex.append(Pattern.quote(body.substring(start, star))).append(".*");
                start = star + 1;
            }
            regex.append(Pattern.quote(body.substring(start)));
            if (anchored) {
                regex.append("\\z");
            }
            return new Rule(allow, normalized, Pattern.compile(regex.toString(), Pattern.DOTALL));
        }

        boolean matches(String normalizedPath) {
            return pattern.matcher(normalizedPath).lookingAt();
        }
    }

    private final List<Rule> rules;

    private RobotsRules(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * Reads a robots.txt.
     *
     * @param productToken the crawler's name in User-agent lines, e.g. "OpinionWatch"
     */
    public static RobotsRules parse(String robotsTxt, String productToken) {
        List<Rule> ours = new ArrayList<>();
        List<Rule> anyone = new ArrayList<>();
        boolean oursSeen = false; // a group of ours without rules still overrides the * groups: it allows everything
        boolean groupIsOurs = false;
        boolean groupIsAnyone = false;
        boolean inUserAgentLines = false;
        String text = robotsTxt.startsWith("\uFEFF") ? robotsTxt.substring(1) : robotsTxt;
        for (String rawLine : text.split("\r\n|\r|\n")) {
            int hash = rawLine.indexOf('#');
            String line = hash < 0 ? rawLine : rawLine.substring(0, hash);
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "user-agent" -> {
                    if (!inUserAgentLines) { // the first User-agent line after rules starts a new group
                        groupIsOurs = false;
                        groupIsAnyone = false;
                        inUserAgentLines = true;
                    }
                    if (value.equals("*")) {
                        groupIsAnyone = true;
                    } else if (tokenOf(value).equalsIgnoreCase(productToken)) {
                        groupIsOurs = true;
                        oursSeen = true;
                    }
                }
                case "allow", "disallow" -> {
                    inUserAgentLines = false;
                    if (value.isEmpty()) { // "Disallow:" with no path disallows nothing
                        continue;
                    }
                    Rule rule = Rule.of(key.equals("allow"), value);
                    if (groupIsOurs) {
                        ours.add(rule);
                    }
                    if (groupIsAnyone) {
                        anyone.add(rule);
                    }
                }
                default -> {
                }
            }
        }
        return new RobotsRules(List.copyOf(oursSeen ? ours : anyone));
    }

    /**
     * Whether the crawler may fetch a path.
     *
     * @param pathAndQuery the URL's path and query as in the request line, e.g. {@code /forum.php?mod=viewthread}
     */
    public boolean allows(String pathAndQuery) {
        String path = normalize(pathAndQuery);
        if (path.equals("/robots.txt")) { // RFC 9309 2.2.2: always allowed
            return true;
        }
        Rule decisive = null;
        for (Rule rule : rules) {
            if (rule.matches(path) && (decisive == null
                    || rule.path.length() > decisive.path.length()
                    || rule.path.length() == decisive.path.length() && rule.allow && !decisive.allow)) {
                decisive = rule;
            }
        }
        return decisive == null || decisive.allow;
    }

    /** The product token at the start of a User-agent value: "OpinionWatch/0.1 (+https://...)" gives "OpinionWatch". */
    static String tokenOf(String userAgent) {
        int end = 0;
        while (end < userAgent.length() && isTokenChar(userAgent.charAt(end))) {
            end++;
        }
        return userAgent.substring(0, end);
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-';
    }

    /** Percent-encodes non-ASCII as UTF-8 and upper-cases existing escapes, so that rules and paths compare alike. */
    private static String normalize(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x80) {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            } else if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.append('%').append(Character.toUpperCase((char) bytes[i + 1])).append(Character.toUpperCase((char) bytes[i + 2]));
                i += 2;
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
