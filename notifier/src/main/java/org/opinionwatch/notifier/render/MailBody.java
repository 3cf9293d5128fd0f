package org.opinionwatch.notifier.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A message as an e-mail: the subject, a plain-text part and an HTML part with the same content (the frame, the
 * plan's text, the report), for mail clients that show either. Everything from posts is escaped in the HTML.
 */
public final class MailBody {
    private MailBody() {
    }

    public static String subject(Message m) {
        return m.title();
    }

    public static String text(Message m) {
        List<String> lines = new ArrayList<>();
        lines.add(m.title());
        lines.add("");
        if (!m.asked().isEmpty()) {
            lines.add(m.frame().t("asked", String.join(m.frame().t("people.separator"), m.asked())));
        }
        if (m.storyTitle() != null) {
            lines.add(m.frame().t("story", m.storyTitle() + " " + (m.storyUrl() == null ? m.frame().t("story.no-link") : m.storyUrl())));
        }
        lines.addAll(m.facts());
        if (!m.links().isEmpty()) {
            lines.add("");
            lines.add(m.actionsIntro());
            m.links().forEach(l -> lines.add(l.label() + ": " + l.url()));
        }
        if (!m.body().isEmpty()) {
            lines.add("");
            lines.add(m.body());
        }
        String report = m.notification().report();
        if (report != null && !report.isBlank()) {
            lines.add("");
            lines.add(m.frame().t("report"));
            lines.add(report.strip());
        }
        lines.add("");
        lines.add("-- ");
        lines.add(m.frame().t("mail.footer"));
        return String.join("\n", lines) + "\n";
    }

    public static String html(Message m) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"").append(escape(m.frame().lang()))
                .append("\"><head><meta charset=\"utf-8\"><title>").append(escape(m.title())).append("</title></head>\n<body>\n");
        h.append("<h2>").append(escape(m.title())).append("</h2>\n");
        if (!m.asked().isEmpty()) {
            h.append("<p><strong>").append(escape(m.frame().t("asked", String.join(m.frame().t("people.separator"), m.asked()))))
                    .append("</strong></p>\n");
        }
        if (m.storyTitle() != null) {
            String story = m.storyUrl() == null ? escape(m.storyTitle()) + " (" + escape(m.frame().t("story.no-link")) + ")"
                    : "<a href=\"" + escape(m.storyUrl()) + "\">" + escape(m.storyTitle()) + "</a>";
            h.append("<p>").append(m.frame().t("story", story)).append("</p>\n");
        }
        for (String fact : m.facts()) {
            h.append("<p>").append(escape(fact)).append("</p>\n");
        }
        if (!m.links().isEmpty()) {
            h.append("<p>").append(escape(m.actionsIntro())).append("</p>\n<p>");
            for (Message.Link l : m.links()) {
                h.append("<a href=\"").append(escape(l.url())).append("\" style=\"display:inline-block;margin:0 8px 8px 0;padding:6px 14px;"
                        + "border:1px solid #1f6feb;border-radius:4px;text-decoration:none\">").append(escape(l.label())).append("</a>");
            }
            h.append("</p>\n");
        }
        if (!m.body().isEmpty()) {
            h.append("<pre style=\"white-space:pre-wrap;font-family:inherit\">").append(escape(m.body())).append("</pre>\n");
        }
        String report = m.notification().report();
        if (report != null && !report.isBlank()) {
            h.append("<h3>").append(escape(m.frame().t("report"))).append("</h3>\n<pre style=\"white-space:pre-wrap\">")
                    .append(escape(report.strip())).append("</pre>\n");
        }
        h.append("<hr><p style=\"color:#666\">").append(escape(m.frame().t("mail.footer"))).append("</p>\n</body></html>\n");
        return h.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
