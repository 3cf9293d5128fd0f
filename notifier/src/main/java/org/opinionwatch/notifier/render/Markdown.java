package org.opinionwatch.notifier.render;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig.Person;

/**
 * A message as the Markdown of a chat robot, within the robot's size limit: the frame first (title, who is asked,
 * the story's link, counts, deadline, action links), then the plan's text, then the report, so that what is cut to
 * fit is the end of the report, then of the text, never the frame. Text that comes from posts is defused: a title
 * cannot open a link, mention anyone or change the layout.
 */
public final class Markdown {
    /** The robots' Markdown dialects and how each mentions a person. */
    public enum Flavor {
        /** WeCom's markdown: {@code <@userid>} mentions; a line break is a newline. */
        WECOM,
        /** DingTalk's markdown: {@code @mobile} in the text (with {@code at.atMobiles}); paragraphs need a blank line. */
        DINGTALK,
        /** Feishu's {@code lark_md} in a card: {@code <at email=...></at>} mentions; the title is the card's header. */
        FEISHU
    }

    private Markdown() {
    }

    /**
     * The message's Markdown, at most {@code maxBytes} of UTF-8.
     *
     * @param linksInText whether the action links are Markdown links in the text (a Feishu card has buttons instead)
     */
    public static String render(Message m, Flavor flavor, int maxBytes, boolean linksInText) {
        String separator = flavor == Flavor.DINGTALK ? "\n\n" : "\n";
        List<String> head = new ArrayList<>();
        if (flavor != Flavor.FEISHU) {
            head.add("### " + defuse(m.title()));
        }
        if (!m.asked().isEmpty()) {
            head.add(defuse(m.frame().t("asked", String.join(m.frame().t("people.separator"), m.asked()))) + mentions(m, flavor));
        }
        String story = m.storyTitle();
        if (story != null) {
            String url = m.storyUrl();
            head.add(m.frame().t("story", url == null ? linkText(story) + m.frame().t("people.separator") + m.frame().t("story.no-link")
                    : "[" + linkText(story) + "](" + url(url) + ")"));
        }
        m.facts().forEach(line -> head.add(defuse(line)));
        if (linksInText && !m.links().isEmpty()) {
            head.add("**" + defuse(m.actionsIntro()) + "**");
            head.add(String.join("　", m.links().stream().map(l -> "[" + linkText(l.label()) + "](" + url(l.url()) + ")").toList()));
        }
        StringBuilder tail = new StringBuilder();
        String body = m.body();
        if (!body.isEmpty()) {
            tail.append(separator).append(defuse(body).replace("\n", separator));
        }
        String report = m.notification().report();
        if (report != null && !report.isBlank()) {
            tail.append(separator).append("---").append(separator).append("**").append(m.frame().t("report")).append("**")
                    .append(separator).append(defuseReport(report.strip()).replace("\n", separator));
        }
        return fit(String.join(separator, head), tail.toString(), separator + m.frame().t("truncated"), maxBytes);
    }

    /** The head and as much of the tail as fits, with the note when something was cut. */
    static String fit(String head, String tail, String note, int maxBytes) {
        String whole = head + tail;
        if (bytes(whole) <= maxBytes) {
            return whole;
        }
        int room = maxBytes - bytes(note);
        String kept = cut(whole, Math.max(0, room));
        return kept + (bytes(kept + note) <= maxBytes ? note : "");
    }

    /** The longest start of {@code text} of at most {@code maxBytes} UTF-8 bytes, cut between characters. */
    static String cut(String text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(UTF_8).length;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    static int bytes(String s) {
        return s.getBytes(UTF_8).length;
    }

    private static String mentions(Message m, Flavor flavor) {
        StringBuilder at = new StringBuilder();
        for (Person p : m.audience().persons()) {
            switch (flavor) {
                case WECOM -> {
                    if (p.wecomUserId() != null && !p.wecomUserId().isBlank()) {
                        at.append(" <@").append(p.wecomUserId().strip()).append('>');
                    }
                }
                case DINGTALK -> {
                    if (p.mobile() != null && !p.mobile().isBlank()) {
                        at.append(" @").append(p.mobile().strip());
                    }
                }
                case FEISHU -> {
                    if (p.email() != null && !p.email().isBlank()) {
                        at.append(" <at email=").append(p.email().strip()).append("></at>");
                    }
                }
            }
        }
        return at.toString();
    }

    /**
     * Text from posts and the plan, made inert: angle brackets (tags, mentions, WeCom's {@code <font>}) and the
     * characters that start emphasis, links and headings become their full-width forms, which read the same in Chinese.
     */
    static String defuse(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(switch (c) {
                case '<' -> '＜';
                case '>' -> '＞';
                case '[' -> '［';
                case ']' -> '］';
                case '*' -> '＊';
                case '_' -> '＿';
                case '`' -> '｀';
                case '#' -> '＃';
                default -> c;
            });
        }
        return out.toString();
    }

    /** A report is the plan's own Markdown (headings, lists, tables): only tags and mentions are defused. */
    private static String defuseReport(String report) {
        return report.replace('<', '＜').replace('>', '＞');
    }

    /** Link text: defused, and without the brackets that would end it. */
    private static String linkText(String text) {
        return defuse(text.replace('\n', ' '));
    }

    /** A URL inside {@code (...)}: the characters that would end it or break the line are percent-encoded. */
    static String url(String url) {
        return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("\n", "").replace("<", "%3C").replace(">", "%3E");
    }
}
