package org.opinionwatch.ingest.source;

import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The plain text of user-written HTML, for matching subjects and for people to read: scripts, styles, comments,
 * attributes and every tag are gone, line breaks are kept where the author made them.
 */
final class PlainText {
    /** Tags that only shape lines; the cleaner keeps them (without attributes) so that the text keeps its lines. */
    private static final Set<String> LINE_TAGS = Set.of("br", "p", "div", "li", "tr", "blockquote", "pre",
            "h1", "h2", "h3", "h4", "h5", "h6");
    private static final Safelist LINES_ONLY = Safelist.none().addTags(LINE_TAGS.toArray(String[]::new));
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");
    private static final java.nio.charset.Charset WINDOWS_1252 = java.nio.charset.Charset.forName("windows-1252");

    private PlainText() {
    }

    /** The text of an HTML fragment, cleaned with a safelist that keeps nothing but line structure. */
    static String fromHtml(String html) {
        Document clean = new Cleaner(LINES_ONLY).clean(Jsoup.parseBodyFragment(html));
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    // whitespace in HTML source is not the author's line breaks, and runs of it are one space, also
                    // across the tags that are gone ("hope <img alt=":)"> Or" is "hope Or")
                    String words = text.text();
                    out.append(endsWithSpace(out) && words.startsWith(" ") ? words.substring(1) : words);
                } else if (node instanceof Element element && element.normalName().equals("br")) {
                    out.append('\n'); // two in a row are the author's blank line
                } else {
                    endLine(node);
                }
            }

            @Override
            public void tail(Node node, int depth) {
                endLine(node);
            }

            /** A block starts and ends a line, but adjacent blocks do not make a blank line. */
            private void endLine(Node node) {
                if (node instanceof Element element && LINE_TAGS.contains(element.normalName()) && !atLineStart(out)) {
                    out.append('\n');
                }
            }
        }, clean.body());
        return lines(out.toString());
    }

    private static String windows1252(String text) {
        if (text.chars().noneMatch(c -> c >= 0x80 && c <= 0x9F)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            String mapped = c >= 0x80 && c <= 0x9F ? new String(new byte[] {(byte) c}, WINDOWS_1252) : null;
            out.append(mapped != null && !mapped.equals("\uFFFD") ? mapped : String.valueOf(c));
        }
        return out.toString();
    }

    private static boolean endsWithSpace(StringBuilder out) {
        return !out.isEmpty() && out.charAt(out.length() - 1) == ' ';
    }

    private static boolean atLineStart(StringBuilder out) {
        int last = out.length() - 1;
        while (last >= 0 && out.charAt(last) == ' ') {
            last--;
        }
        return last < 0 || out.charAt(last) == '\n';
    }

    /** Plain text as given (Atom's {@code type="text"}): only whitespace is tidied, nothing is parsed as markup. */
    static String fromText(String text) {
        return lines(text);
    }

    /**
     * Each line stripped (Unicode spaces too, the ideographic U+3000 and no-break U+00A0 included), at most one blank line
     * in a row; C1 control characters are the windows-1252 characters they stand for, as browsers read them (a
     * "don&amp;#146;t" of a page written in windows-1252 is "don’t").
     */
    private static String lines(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : windows1252(text).replace('\u00A0', ' ').split("\r\n|\r|\n", -1)) {
            out.append(line.strip()).append('\n');
        }
        return BLANK_LINES.matcher(out).replaceAll("\n\n").strip();
    }
}
