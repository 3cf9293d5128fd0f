package org.opinionwatch.ingest.source;

import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.module.DCModule;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.impl.XmlFixerReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.Namespace;
import org.jdom2.input.DOMBuilder;
import org.jdom2.output.XMLOutputter;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.jsoup.parser.Parser;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;

/**
 * Reads a news feed (RSS 0.90 to 2.0, Atom 0.3 and 1.0): every item (entry) is one post snapshot, without engagement
 * (feeds carry no counts). Pure: no network, the caller fetches and decodes (see {@link PageDecoder}).
 *
 * <p>ROME recognises the feed's version and maps its items (title, text, link, id, author), so that every version and
 * the common modules read alike. Around it, what ROME leaves to the caller: a feed that is not well-formed XML (a bare
 * {@code &}, an undeclared entity) is read by jsoup's lenient parser before ROME sees it, instead of rejected whole;
 * times are read by {@link TimeText} in the source's zone, where ROME would use the JVM's; links are resolved against
 * {@code xml:base} and the feed's URL; titles and text become plain text, escaped markup and scripts included. An item
 * without a time that can be read is still published, at its observation time, marked.
 */
public final class FeedParser {
    /** Dates in the order they name an item's publication, by local name: the first one present is the item's time. */
    private static final List<String> DATES = List.of("pubDate", "published", "issued", "date", "created", "updated", "modified");
    private static final Namespace XML = Namespace.XML_NAMESPACE;
    private static final Namespace ATOM = Namespace.getNamespace("http://www.w3.org/2005/Atom");

    /**
     * What one feed gave.
     *
     * @param rejected the items that could not be used, each with its XML and the reason; location: the feed URL
     *                 with {@code #item-N}, N counting the feed's items from 1
     * @param notes    what an operator should know of the posts that were read: times that could not be read
     */
    public record Result(List<Post> posts, List<DeadLetter> rejected, List<String> notes) {
        public Result {
            posts = List.copyOf(posts);
            rejected = List.copyOf(rejected);
            notes = List.copyOf(notes);
        }
    }

    private final String source;
    private final boolean mainstream;
    private final TimeText times;

    /**
     * @param source     the source id of the feed in the ingest config; it is each post's {@code source}
     * @param mainstream whether the feed is a mainstream outlet's (the source config says so)
     * @param zone       the zone of times written without one
     */
    public FeedParser(String source, boolean mainstream, ZoneId zone) {
        this.source = source;
        this.mainstream = mainstream;
        this.times = new TimeText(zone);
    }

    /**
     * The posts of a feed; an unusable item is rejected on its own and the others are still read.
     *
     * @param feedUrl    where the feed is (or was fetched from): the base of its relative links
     * @param observedAt when the feed was fetched; also the rejection time of its unusable items
     * @throws UnreadablePageException if the document is no feed of a known version
     */
    public Result parse(String xml, String feedUrl, Instant observedAt) throws UnreadablePageException {
        Document document = document(xml);
        unwrapBase64(document.getRootElement());
        if (document.getRootElement().getName().equals("feed") && document.getRootElement().getNamespaceURI().isEmpty()) {
            intoNamespace(document.getRootElement(), ATOM); // an Atom feed that forgot its namespace
        }
        WireFeed wire;
        try {
            wire = new WireFeedInput(false, Locale.ROOT).build(document);
        } catch (IllegalArgumentException | FeedException e) {
            Element root = document.getRootElement();
            throw new UnreadablePageException("not an RSS or Atom feed: the document element is <" + root.getQualifiedName() + ">"
                    + (root.getNamespaceURI().isEmpty() ? "" : " in " + root.getNamespaceURI()));
        } catch (RuntimeException e) {
            throw new UnreadablePageException("the feed could not be read: " + e);
        }
        boolean rss = wire.getFeedType().startsWith("rss");
        List<SyndEntry> entries = new SyndFeedImpl(wire).getEntries();
        List<Element> elements = items(document.getRootElement());
        List<Post> posts = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Element element = elements.size() == entries.size() ? elements.get(i) : null;
            String location = feedUrl + "#item-" + (i + 1);
            try {
                posts.add(post(entries.get(i), element, rss, feedUrl, observedAt, location, notes));
            } catch (UnreadablePageException e) {
                rejected.add(DeadLetter.of(source, location, e.getMessage(), element == null ? null : new XMLOutputter().outputString(element),
                        observedAt));
            }
        }
        return new Result(posts, rejected, notes);
    }

    private Post post(SyndEntry entry, Element item, boolean rss, String feedUrl, Instant observedAt, String location,
                      List<String> notes) throws UnreadablePageException {
        String base = item == null ? feedUrl : baseOf(item, feedUrl);
        String link = resolve(base, entry.getLink());
        String title = text(entry.getTitleEx(), rss, item == null ? null : child(item, "title"));
        DCModule dc = (DCModule) entry.getModule(DCModule.URI);
        if (title.isEmpty() && dc != null && dc.getTitle() != null) {
            title = PlainText.fromHtml(dc.getTitle()); // RSS 1.0 feeds may title an item in Dublin Core only
        }
        SyndContent body = entry.getContents().stream().filter(c -> c.getValue() != null && !c.getValue().isBlank()).findFirst()
                .orElse(entry.getDescription());
        String text = text(body, rss, item == null ? null : child(item, body == entry.getDescription() ? "summary" : "content"));
        String id = id(entry, item, link);
        Element date = item == null ? null : date(item);
        if (id == null && link == null && title.isEmpty() && text.isEmpty() && date == null) {
            throw new UnreadablePageException("item is empty: no id, link, title, text or date");
        }
        if (id == null) {
            id = source + ":item-" + digest(item == null ? title + "\n" + text : new XMLOutputter().outputString(item));
        }
        Instant published = null;
        if (date == null) {
            notes.add(location + " (" + id + "): no date; published at its observation time");
        } else {
            Optional<Instant> read = times.read(date.getTextNormalize(), observedAt);
            if (read.isEmpty()) {
                notes.add(location + " (" + id + "): '" + date.getTextNormalize() + "' in <" + date.getQualifiedName()
                        + "> is no time that can be read; published at its observation time");
            }
            published = read.orElse(null);
        }
        return new Post(id, source, link, title, text, author(entry), published, observedAt, null, mainstream, null, published == null);
    }

    /**
     * The item's id: its guid, Atom id or RDF about; a guid that is not a permalink is unique only within its feed
     * (often a bare number), so it is prefixed with the source. Else the link; else null.
     */
    private String id(SyndEntry entry, Element item, String link) {
        String uri = entry.getUri() == null ? null : entry.getUri().strip();
        if (uri == null || uri.isEmpty() || uri.equals(entry.getLink() == null ? null : entry.getLink().strip())) {
            return link; // ROME's uri of an RSS item without guid is its link as written; the id is the link resolved
        }
        Element guid = item == null ? null : child(item, "guid");
        if (guid != null && guid.getAttributeValue("isPermaLink", "").strip().equalsIgnoreCase("false")) {
            return source + ":" + uri;
        }
        return uri;
    }

    /** The last element of the first date name the item has (feeds that repeat a date mean the last one). */
    private static Element date(Element item) {
        for (String name : DATES) {
            Element found = null;
            for (Element child : item.getChildren()) {
                if (child.getName().equals(name) && !child.getTextNormalize().isEmpty()) {
                    found = child;
                }
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * Plain text of a title or text by its type (ROME's, else as written): Atom's text is the element's text as written
     * (ROME serializes Atom 0.3's as XML, escaping it again), its html and xhtml are markup; RSS has no type, and its
     * titles and descriptions carry escaped HTML in practice.
     */
    private static String text(SyndContent content, boolean rss, Element written) {
        if (content == null || content.getValue() == null) {
            return "";
        }
        String writtenType = written == null ? "" : written.getAttributeValue("type", "");
        String type = (content.getType() != null ? content.getType() : writtenType).toLowerCase(Locale.ROOT);
        if (rss || type.contains("html")) {
            return PlainText.fromHtml(content.getValue());
        }
        boolean base64 = written != null && "base64".equals(written.getAttributeValue("mode"));
        return PlainText.fromText(written == null || base64 ? content.getValue() : written.getValue());
    }

    private static String author(SyndEntry entry) {
        if (entry.getAuthor() != null && !entry.getAuthor().isBlank()) {
            return PlainText.fromText(entry.getAuthor());
        }
        return entry.getAuthors().stream().map(SyndPerson::getName).filter(n -> n != null && !n.isBlank()).findFirst()
                .map(PlainText::fromText).orElse("");
    }

    /** The document's {@code xml:base} in force at an element, each resolved against the one above, the feed URL first. */
    private static String baseOf(Element element, String feedUrl) {
        List<String> bases = new ArrayList<>();
        for (Element e = element; e != null; e = e.getParentElement()) {
            String base = e.getAttributeValue("base", XML);
            if (base != null && !base.isBlank()) {
                bases.add(0, base.strip());
            }
        }
        String resolved = feedUrl;
        for (String base : bases) {
            resolved = resolve(resolved, base);
        }
        return resolved;
    }

    /** {@code link} against {@code base}; a link that is no URI is kept as written, and a blank one is none. */
    private static String resolve(String base, String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String value = link.strip();
        try {
            URI uri = new URI(value.replace(" ", "%20"));
            if (uri.isAbsolute() || base == null || base.isBlank()) {
                return value;
            }
            return new URI(base.replace(" ", "%20")).resolve(uri).toString();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return value;
        }
    }

    /** The item elements in document order, as ROME finds them: under the channel (RSS 0.9x, 2.0) or the root (RSS 0.90, 1.0, Atom). */
    private static List<Element> items(Element root) {
        List<Element> items = new ArrayList<>();
        Element channel = child(root, "channel");
        for (Element parent : channel == null ? List.of(root) : List.of(channel, root)) {
            for (Element child : parent.getChildren()) {
                if (child.getName().equals("item") || child.getName().equals("entry")) {
                    items.add(child);
                }
            }
        }
        return items;
    }

    private static Element child(Element parent, String localName) {
        for (Element child : parent.getChildren()) {
            if (child.getName().equals(localName)) {
                return child;
            }
        }
        return null;
    }

    /**
     * The feed as an XML document: read strictly (ROME's own healing of HTML entities, no DTD or external entity
     * fetched), else leniently by jsoup, whose XML parser reads what a browser would of a feed that is not well-formed.
     */
    private static Document document(String xml) throws UnreadablePageException {
        String content = xml.startsWith("\uFEFF") ? xml.substring(1) : xml;
        try {
            return new SecureInput().builder().build(new XmlFixerReader(new StringReader(content)));
        } catch (JDOMException | IOException notWellFormed) {
            org.jsoup.nodes.Document lenient = Jsoup.parse(content, "", Parser.xmlParser());
            if (lenient.children().isEmpty()) {
                throw new UnreadablePageException("not an RSS or Atom feed: the document element is missing");
            }
            try {
                return new DOMBuilder().build(W3CDom.convert(lenient));
            } catch (RuntimeException e) {
                throw new UnreadablePageException("not a feed: the document is not XML (" + notWellFormed.getMessage() + ")");
            }
        }
    }

    private static void intoNamespace(Element element, Namespace namespace) {
        if (element.getNamespaceURI().isEmpty()) {
            element.setNamespace(namespace);
        }
        element.getChildren().forEach(child -> intoNamespace(child, namespace));
    }

    /** Atom 0.3's base64 text without its line breaks, which ROME's decoder does not skip. */
    private static void unwrapBase64(Element element) {
        if ("base64".equals(element.getAttributeValue("mode"))) {
            element.setText(element.getText().replaceAll("\\s+", ""));
            return;
        }
        element.getChildren().forEach(FeedParser::unwrapBase64);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** ROME's SAX builder, which turns off external entities and DTD loading, with DOCTYPEs allowed (RSS 0.91 has one). */
    private static final class SecureInput extends WireFeedInput {
        SecureInput() {
            setAllowDoctypes(true);
        }

        org.jdom2.input.SAXBuilder builder() {
            return createSAXBuilder();
        }
    }
}
