package org.opinionwatch.escalation.actions;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URLDecoder;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.link.ActionLink;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.Duty;
import org.opinionwatch.escalation.plan.Texts;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpRefusal;
import org.opinionwatch.runtime.words.Words;

/**
 * The action links of chat messages and e-mails ({@link ActionLink}), on the actions endpoint without its bearer
 * token (the link's signature is the authority): {@code GET /links/{token}} shows what the link records and a form
 * (who did it, a note), {@code POST /links/{token}} records it on {@code actions} after the same checks as any action.
 *
 * <p>A GET never records anything: chat clients fetch links for their previews and mail scanners open every link of
 * a message, and neither must close a duty. The POST comes from the person's own browser, from the page.
 *
 * <p>Single use: the action of a link has a deterministic id ({@link ActionLink#actionId()}). Once the stage has
 * applied it, the case holds that id and the duty is closed (or the case dismissed), so a second use is refused after
 * a restart too; between publishing and the stage applying it, this endpoint remembers the ids it published. A link
 * used twice at once is recorded once. Every answer is a page in the link's language, with no stack trace.
 */
final class LinkPages {
    /** A form of a name and a note: a few kilobytes at most. */
    static final int MAX_FORM_BYTES = 16 * 1024;
    private static final int MAX_FIELD = 200;

    private final String secret;
    private final Cases cases;
    private final ActionPublisher publisher;
    private final OpinionWatchConfig.Escalation plan;
    private final ZoneId zone;
    /** The pages in each language, made once: their words are parsed as they are first used, then kept. */
    private final Page chinese;
    private final Page english;
    /** Action ids published here and perhaps not yet applied by the stage. */
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    /** @throws ConfigException when the links' secret is short */
    LinkPages(OpinionWatchConfig.Escalation plan, Cases cases, ActionPublisher publisher) {
        this.plan = plan;
        this.secret = plan.actions().links().secret();
        if (secret.length() < 32) {
            throw new ConfigException("key 'escalation.actions.links.secret' must be 32 characters at least (use OW_ESCALATION_ACTIONS_LINKS_SECRET)");
        }
        this.cases = cases;
        this.publisher = publisher;
        this.zone = ZoneId.of(plan.zone());
        this.chinese = new Page("zh-CN");
        this.english = new Page("en");
    }

    /** Whether the config asks for links to be served: their secret is set. */
    static boolean enabled(OpinionWatchConfig.Escalation plan) {
        String s = plan.actions().links().secret();
        return s != null && !s.isEmpty();
    }

    void handle(Exchange exchange, String path) throws IOException {
        exchange.setHeader("Cache-Control", "no-store");
        // The token is in the URL: no page sends it on as a referrer, none can be framed, none runs a script.
        exchange.setHeader("Referrer-Policy", "no-referrer");
        exchange.setHeader("X-Frame-Options", "DENY");
        exchange.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        String token = path.substring(ActionLink.PATH.length());
        Page page = page(plan.locale());
        if (!exchange.method().equals("GET") && !exchange.method().equals("POST")) {
            exchange.setHeader("Allow", "GET, POST");
            page.answer(exchange, 405, page.t("refused.heading"), page.t("refused.form", exchange.method()));
            return;
        }
        ActionLink link;
        try {
            link = ActionLink.verify(token, secret, Instant.now());
        } catch (ActionLink.Invalid e) {
            Page p = e.link() != null ? page(e.link().lang()) : page;
            switch (e.refusal()) {
                case EXPIRED -> p.answer(exchange, 410, p.t("refused.heading"), p.t("refused.expired", p.time(e.link().expires())));
                case TAMPERED -> p.answer(exchange, 403, p.t("refused.heading"), p.t("refused.tampered"));
                default -> p.answer(exchange, 400, p.t("refused.heading"), p.t("refused.malformed"));
            }
            return;
        }
        page = page(link.lang());
        Optional<Case> found;
        try {
            found = cases.find(link.incidentId());
        } catch (Cases.Unavailable | Cases.Elsewhere e) {
            page.answer(exchange, 503, page.t("refused.heading"), page.t("refused.unavailable", e.getMessage()));
            return;
        }
        if (found.isEmpty()) {
            page.answer(exchange, 404, page.t("refused.heading"), page.t("refused.unknown"));
            return;
        }
        Case c = found.get();
        String refusal = refusal(link, c, page);
        if (refusal != null) {
            page.answer(exchange, 409, page.t("refused.heading"), refusal);
            return;
        }
        if (exchange.method().equals("GET")) {
            page.answer(exchange, 200, page.t("confirm.heading"), confirm(link, c, page, "", "", null));
            return;
        }
        record(exchange, link, c, page);
    }

    /** Why the link cannot be used on this case now, for a person; null when it can. */
    private String refusal(ActionLink link, Case c, Page page) {
        if (c.actions().contains(link.actionId()) || published.contains(link.actionId())) {
            Optional<Case.DutyState> closed = c.duties().stream().filter(d -> d.duty().equals(link.action()) && d.by() != null).findFirst();
            String when = closed.map(d -> page.t("refused.used.by", d.by(), page.time(d.closedAt()))).orElse(page.t("label.done"));
            return page.t("refused.used", when);
        }
        if (c.status() == Case.Status.DISMISSED) {
            return page.t("refused.dismissed");
        }
        if (c.status() == Case.Status.MERGED) {
            return page.t("refused.merged");
        }
        if (link.dismisses()) {
            return null;
        }
        Optional<Case.DutyState> open = c.duties().stream().filter(d -> d.duty().equals(link.action()) && d.isOpen()).findFirst();
        if (open.isPresent()) {
            return null;
        }
        return c.duties().stream().filter(d -> d.duty().equals(link.action()) && d.state() == Case.DutyState.State.DONE).findFirst()
                .map(d -> page.t("refused.done", d.by(), page.time(d.closedAt()))).orElse(page.t("refused.not-open"));
    }

    private void record(Exchange exchange, ActionLink link, Case c, Page page) throws IOException {
        Map<String, String> form;
        try {
            form = form(exchange.formBody(MAX_FORM_BYTES));
        } catch (HttpRefusal e) {
            page.answer(exchange, e.status(), page.t("refused.heading"), page.t("refused.form", e.getMessage()));
            return;
        }
        String by = field(form, "by");
        String note = field(form, "note");
        String problem = by.isEmpty() ? page.t("refused.by") : link.dismisses() && note.isEmpty() ? page.t("refused.reason") : null;
        if (problem != null) {
            page.answer(exchange, 400, page.t("confirm.heading"), confirm(link, c, page, by, note, problem));
            return;
        }
        Instant at = Actions.now();
        Action action = link.dismisses()
                ? new Action(link.actionId(), link.incidentId(), Action.Kind.DISMISS, null, null, null, null, by, note, at)
                : new Action(link.actionId(), link.incidentId(), Action.Kind.DONE, link.action(), null, null, null, by, note, at);
        if (!published.add(action.id())) {
            page.answer(exchange, 409, page.t("refused.heading"), page.t("refused.used", page.t("label.done")));
            return;
        }
        try {
            publisher.publish(action);
        } catch (RuntimeException e) {
            published.remove(action.id());
            page.answer(exchange, 503, page.t("refused.heading"), page.t("refused.unavailable", e.getMessage()));
            return;
        }
        String said = link.dismisses() ? page.t("recorded.dismiss", by, page.time(at), note)
                : page.t("recorded.done", story(c, page), duty(link.action(), page), by, page.time(at));
        page.answer(exchange, 200, page.t("recorded.heading"), said);
    }

    /** The confirmation page's content: what the link records, and the form that records it. */
    private String confirm(ActionLink link, Case c, Page page, String by, String note, String problem) {
        String label = link.dismisses() ? page.t("label.dismiss") : page.t("label.done");
        StringBuilder h = new StringBuilder();
        if (problem != null) {
            h.append("<p class=\"problem\">").append(escape(problem)).append("</p>\n");
        }
        h.append("<p>").append(escape(page.t("confirm.story", ""))).append(storyHtml(c, page)).append("</p>\n");
        h.append("<p><strong>").append(escape(link.dismisses() ? page.t("confirm.dismiss") : page.t("confirm.done", duty(link.action(), page))))
                .append("</strong></p>\n");
        h.append("<form method=\"post\">\n<p><label>").append(escape(page.t("confirm.by"))).append("<br><input name=\"by\" required maxlength=\"")
                .append(MAX_FIELD).append("\" value=\"").append(escape(by.isEmpty() && link.person() != null ? link.person() : by)).append("\"></label></p>\n");
        h.append("<p><label>").append(escape(page.t(link.dismisses() ? "confirm.reason" : "confirm.note"))).append("<br><textarea name=\"note\" rows=\"3\" maxlength=\"")
                .append(MAX_FIELD).append("\"").append(link.dismisses() ? " required" : "").append(">").append(escape(note)).append("</textarea></label></p>\n");
        h.append("<p><button type=\"submit\">").append(escape(page.t("confirm.button", label))).append("</button></p>\n</form>\n");
        h.append("<p class=\"hint\">").append(escape(page.t("confirm.hint", page.time(link.expires())))).append("</p>\n");
        return h.toString();
    }

    private String story(Case c, Page page) {
        return c.rootPost() != null && c.rootPost().title() != null && !c.rootPost().title().isBlank() ? "「" + c.rootPost().title().strip() + "」"
                : c.incidentId();
    }

    private String storyHtml(Case c, Page page) {
        String title = escape(story(c, page));
        String url = c.rootPost() == null ? null : c.rootPost().url();
        return url == null || !(url.startsWith("http://") || url.startsWith("https://")) ? title
                : "<a href=\"" + escape(url) + "\" rel=\"noreferrer noopener\">" + title + "</a>";
    }

    private String duty(String key, Page page) {
        return Duty.of(key).map(d -> page.texts.duty(d, plan.reporting().county(), plan.trackingEvery())).orElse(key);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), UTF_8), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
                } catch (IllegalArgumentException e) {
                    // a field that is not percent-encoded properly counts as absent, and its absence is said
                }
            }
        }
        return fields;
    }

    private static String field(Map<String, String> form, String name) {
        String value = form.getOrDefault(name, "").strip().replaceAll("\\p{Cntrl}", " ");
        return value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) : value;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** The pages in {@code lang}: English for {@code en}, Simplified Chinese for anything else. */
    private Page page(String lang) {
        return "en".equals(lang) ? english : chinese;
    }

    /** The pages in one language: the link's, or the plan's when the link cannot be read. Safe to share. */
    private final class Page {
        private final Words words;
        private final String lang;
        private final DateTimeFormatter time;
        private final Texts texts;

        /** @param lang {@code zh-CN} or {@code en} */
        Page(String lang) {
            this.lang = lang;
            this.words = Words.of("org.opinionwatch.escalation.actions.pages", this.lang);
            this.time = words.times(zone);
            this.texts = new Texts(this.lang, zone);
        }

        String t(String key, Object... args) {
            return words.format(key, args);
        }

        String time(Instant at) {
            return time.format(at);
        }

        /** A whole page: a heading and content (HTML, escaped where it came from people or posts). */
        void answer(Exchange exchange, int status, String heading, String content) {
            String html = content.startsWith("<") ? content : "<p>" + escape(content) + "</p>\n";
            String page = "<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
                    + "<title>" + escape(heading + " · " + t("title")) + "</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;"
                    + "padding:0 1em;line-height:1.5}input,textarea{width:100%;font-size:1em}button{font-size:1.1em;padding:.4em 1.2em}"
                    + ".problem{color:#b00}.hint{color:#666;font-size:.9em}</style></head>\n<body>\n<h1>" + escape(heading) + "</h1>\n"
                    + html + "</body></html>\n";
            exchange.respond(status, "text/html; charset=utf-8", page.getBytes(UTF_8));
        }
    }
}
