package org.opinionwatch.ingest.source;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;

/**
 * Reads RSS 2.0 and Atom 1.0 news feeds: every item (entry) is one post snapshot, without engagement (feeds carry no
 * counts). Pure: no network, the caller fetches and decodes (see {@link PageDecoder}).
 *
 * <p>jsoup's XML parser rather than a strict XML parser or a feed library: feeds in the wild are often not
 * well-formed (a bare {@code &} in a title, an undeclared entity), and a strict parser would reject the whole feed
 * for one bad character, where a lenient one still reads every item, and each item is checked on its own. It also
 * never resolves external entities or fetches DTDs, and the item HTML is cleaned with the same jsoup safelist as
 * forum pages. The few date formats and fields needed are read here, in the source's time zone, instead of through
 * a library that falls back to the JVM's default zone.
 */
public final class FeedParser {
    /** The dates Chinese feeds write without RFC 822 or ISO form ("2024-05-20 21:03:00"), in the feed's zone. */
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("uuuu-M-d[ ]['T']H:mm[:ss]", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    /**
     * What one feed gave.
     *
     * @param rejected the items that could not be used, each with its XML and the reason; location: the feed URL
     *                 with {@code #item-N}, N counting the feed's items from 1
     */
    public record Result(List<Post> posts, List<DeadLetter> rejected) {
        public Result {
            posts = List.copyOf(posts);
            rejected = List.copyOf(rejected);
        }
    }

    private final String source;
    private final boolean mainstream;
    private final ZoneId zone;

    /**
     * @param source     the source id of the feed in the ingest config; it is each post's {@code source}
     * @param mainstream whether the feed is a mainstream outlet's (the source config says so)
     * @param zone       the zone of dates written without an offset
     */
    public FeedParser(String source, boolean mainstream, ZoneId zone) {
        this.source = source;
        this.mainstream = mainstream;
        this.zone = zone;
    }

    /**
     * The posts of a feed; an unusable item is rejected on its own and the others are still read.
     *
     * @param observedAt when the feed was fetched; also the rejection time of its unusable items
     * @throws UnreadablePageException if the document is neither an RSS 2.0 nor an Atom feed
     */
    public Result parse(String xml, String feedUrl, Instant observedAt) throws UnreadablePageException {
        Document document = Jsoup.parse(xml, feedUrl, Parser.xmlParser());
        Element root = document.children().first();
        boolean rss = root != null && root.normalName().equals("rss");
        boolean atom = root != null && root.normalName().equals("feed");
        if (!rss && !atom) {
            throw new UnreadablePageException("not an RSS 2.0 or Atom feed: the document element is "
                    + (root == null ? "missing" : "<" + root.tagName() + ">"));
        }
        List<Element> items = rss ? children(child(root, "channel"), "item") : children(root, "entry");
        List<Post> posts = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Element item = items.get(i);
            try {
                posts.add(rss ? rssItem(item, observedAt) : atomEntry(item, observedAt));
            } catch (UnreadablePageException e) {
                rejected.add(DeadLetter.of(source, feedUrl + "#item-" + (i + 1), e.getMessage(), item.outerHtml(), observedAt));
            }
        }
        return new Result(posts, rejected);
    }

    private Post rssItem(Element item, Instant observedAt) throws UnreadablePageException {
        String link = textOf(child(item, "link"));
        Element guid = child(item, "guid");
        String id;
        if (guid != null && !guid.text().isBlank()) {
            // a guid that is not a permalink is unique only within its feed (often a bare number)
            id = guid.attr("isPermaLink").equalsIgnoreCase("false") ? source + ":" + guid.text().strip() : guid.text().strip();
        } else if (!link.isEmpty()) {
            id = link;
        } else {
            throw new UnreadablePageException("RSS item has neither <guid> nor <link>, so it has no id");
        }
        Element fullText = child(item, "content:encoded"); // the whole article, where <description> is a summary
        String text = PlainText.fromHtml(textOf(fullText != null ? fullText : child(item, "description")));
        String title = PlainText.fromText(textOf(child(item, "title")));
        requireContent(title, text, "<title> and <description>");
        Element author = child(item, "dc:creator") != null ? child(item, "dc:creator") : child(item, "author");
        Element date = child(item, "pubDate") != null ? child(item, "pubDate") : child(item, "dc:date");
        return new Post(id, source, link.isEmpty() ? null : link, title, text, textOf(author), time(date), observedAt,
                null, mainstream, null);
    }

    private Post atomEntry(Element entry, Instant observedAt) throws UnreadablePageException {
        String link = atomLink(entry);
        String id = textOf(child(entry, "id"));
        if (id.isEmpty()) {
            if (link.isEmpty()) {
                throw new UnreadablePageException("Atom entry has neither <id> nor <link rel=\"alternate\">, so it has no id");
            }
            id = link;
        }
        Element content = child(entry, "content") != null ? child(entry, "content") : child(entry, "summary");
        String text = atomText(content);
        String title = atomText(child(entry, "title"));
        requireContent(title, text, "<title> and <content> or <summary>");
        Element date = child(entry, "published") != null ? child(entry, "published") : child(entry, "updated");
        return new Post(id, source, link.isEmpty() ? null : link, title, text, textOf(child(child(entry, "author"), "name")),
                time(date), observedAt, null, mainstream, null);
    }

    /** The entry's web page: {@code rel="alternate"}, which is also what a link without {@code rel} means. */
    private static String atomLink(Element entry) {
        for (Element link : children(entry, "link")) {
            String rel = link.attr("rel");
            if (rel.isEmpty() || rel.equals("alternate")) {
                return link.absUrl("href").isEmpty() ? link.attr("href").strip() : link.absUrl("href");
            }
        }
        return "";
    }

    /** An Atom text construct as plain text, by its {@code type}: text (the default), html (escaped) or xhtml (inline). */
    private static String atomText(Element construct) {
        if (construct == null) {
            return "";
        }
        return switch (construct.attr("type")) {
            case "html" -> PlainText.fromHtml(construct.wholeText());
            case "xhtml" -> PlainText.fromHtml(construct.html());
            default -> PlainText.fromText(construct.wholeText());
        };
    }

    private static void requireContent(String title, String text, String where) throws UnreadablePageException {
        if (title.isEmpty() && text.isEmpty()) {
            throw new UnreadablePageException("item has no text: " + where + " are missing or empty");
        }
    }

    /** RFC 822 (RSS), RFC 3339 (Atom, dc:date), or a local date-time in the feed's zone; null if there is none. */
    private Instant time(Element date) throws UnreadablePageException {
        String value = textOf(date);
        if (value.isEmpty()) {
            return null; // Post takes the observation time then
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeException notRfc822) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeException notRfc3339) {
                try {
                    return LocalDateTime.parse(value, LOCAL_TIME).atZone(zone).toInstant();
                } catch (DateTimeException notLocal) {
                    throw new UnreadablePageException("<" + date.tagName() + "> '" + value
                            + "' is not an RFC 822, RFC 3339 or 'yyyy-MM-dd HH:mm:ss' date");
                }
            }
        }
    }

    /** The first child with a tag name (prefix included, as the feed writes it), or null. */
    private static Element child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        if (parent == null) {
            return List.of();
        }
        return parent.children().stream().filter(e -> e.tagName().equalsIgnoreCase(tag)).toList();
    }

    private static String textOf(Element element) {
        return element == null ? "" : element.wholeText().strip();
    }
}
