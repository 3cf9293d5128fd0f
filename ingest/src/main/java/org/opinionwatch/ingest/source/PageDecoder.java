package org.opinionwatch.ingest.source;

import com.ibm.icu.text.CharsetDetector;
import com.ibm.icu.text.CharsetMatch;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a fetched page or feed into text, never silently: every byte must be valid in the charset
 * used, or the page is rejected with the offset of the first bad byte.
 *
 * <p>Which charset: a byte-order mark decides alone, and so do the first bytes of an XML document in UTF-16 or UTF-32
 * without one ({@code <?} or {@code <r} with zero bytes between, as the XML specification's appendix F reads them).
 * Then bytes that are valid UTF-8 are UTF-8, whatever is
 * declared: text in GBK or another legacy charset is practically never valid UTF-8, while pages converted to
 * UTF-8 that still declare gb2312 are common, and decoding them as declared gives plausible-looking nonsense that
 * no check would catch. Otherwise the declarations are tried in the HTML standard's order, the {@code Content-Type}
 * header first, then the document's own ({@code <?xml encoding>}, {@code <meta charset>} or {@code <meta
 * http-equiv="Content-Type">}); a declaration the bytes contradict is skipped (a server that sends {@code
 * charset=UTF-8} in front of a GBK forum page is a common misconfiguration). Without a declaration that fits, ICU4J's
 * charset detector decides: when it is sure, its guess (EUC-JP, Shift_JIS, EUC-KR, Big5, GB18030, ...) alone; when it
 * is not (a short text), GB18030 first, the charset of most undeclared Chinese pages, which the detector cannot tell
 * from its neighbours in a few characters, then its guesses (KOI8-R, windows-1255, ...). A page that declares a charset
 * the bytes contradict gets GB18030 as its last candidate, as before, and no detection: a damaged page is rejected
 * rather than read in whatever single-byte charset decodes anything. The decoded page says which rule chose its
 * charset and which declarations were overruled.
 *
 * <p>gb2312 and gbk are decoded as GB18030, their superset, as browsers do: forum pages declared gb2312 routinely
 * contain characters only GBK or GB18030 have (rare surnames, the euro sign).
 */
public final class PageDecoder {
    /** How far the document is searched for its declaration: the HTML standard's prescan reads 1024 bytes, but
     *  forum templates put long comments and scripts first, and a declaration further in is still meant. */
    static final int PRESCAN_BYTES = 4096;

    static final Charset GB18030 = Charset.forName("GB18030");
    private static final Set<String> GB_LABELS =
            Set.of("gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "cp936", "windows-936", "chinese", "iso-ir-58", "gb18030");

    /** Tried after the detector's confident guesses: the charset of most Chinese pages not in UTF-8. */
    private static final String FALLBACK = "fallback for undeclared Chinese pages";
    /** A detector's guess at least this sure (of 100) is taken without the GB18030 fallback. */
    private static final int CONFIDENT = 50;

    private static final Pattern HEADER_CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*[\"']?([^\"';\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern XML_ENCODING = Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([\\w.:-]+)[\"']", Pattern.CASE_INSENSITIVE);
    /** Both {@code <meta charset=gbk>} and {@code <meta http-equiv=... content="text/html; charset=gbk">}. */
    private static final Pattern META_CHARSET = Pattern.compile("<meta[^>]*?charset\\s*=\\s*[\"']?\\s*([\\w.:-]+)", Pattern.CASE_INSENSITIVE);

    /**
     * A decoded page.
     *
     * @param basis how the charset was chosen, with any declaration the bytes contradicted, for logs and metrics
     */
    public record Decoded(String text, Charset charset, String basis) {
    }

    private PageDecoder() {
    }

    /**
     * Decodes a page.
     *
     * @param contentType the HTTP {@code Content-Type} header as received, or null
     * @throws UnreadablePageException if no declared or detectable charset decodes every byte; the message names
     *                                 each charset tried and where its first bad byte is
     */
    public static Decoded decode(byte[] body, String contentType) throws UnreadablePageException {
        Decoded withBom = decodeByBom(body);
        if (withBom != null) {
            return withBom;
        }
        Decoded wide = decodeByXmlSignature(body);
        if (wide != null) {
            return wide;
        }
        List<String> notes = new ArrayList<>();
        Map<Charset, String> declared = new LinkedHashMap<>(); // charset -> where it was declared, first wins
        declare(declared, notes, contentType == null ? null : HEADER_CHARSET.matcher(contentType), "Content-Type header");
        String prefix = new String(body, 0, Math.min(body.length, PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
        declare(declared, notes, XML_ENCODING.matcher(prefix), "<?xml encoding>");
        declare(declared, notes, META_CHARSET.matcher(prefix), "<meta> charset");

        String notUtf8;
        try {
            String text = strict(StandardCharsets.UTF_8, ByteBuffer.wrap(body));
            if (!isAscii(body)) { // pure ASCII reads the same in every declared charset: nothing is overruled
                declared.forEach((charset, where) -> {
                    if (!charset.equals(StandardCharsets.UTF_8)) {
                        notes.add(where + " said " + charset.name() + ", but the page is valid UTF-8");
                    }
                });
            }
            return decoded(text, StandardCharsets.UTF_8, declared.getOrDefault(StandardCharsets.UTF_8, "valid UTF-8"), notes);
        } catch (InvalidBytes e) {
            String where = declared.remove(StandardCharsets.UTF_8);
            notUtf8 = where == null ? "not UTF-8: " + e.getMessage() : where + " said UTF-8, but " + e.getMessage();
            if (where != null) { // an undeclared page that is not UTF-8 is the ordinary case, worth no note
                notes.add(notUtf8);
            }
        }
        if (declared.isEmpty()) {
            detected(body, declared);
        } else {
            declared.putIfAbsent(GB18030, FALLBACK);
        }
        for (Map.Entry<Charset, String> candidate : declared.entrySet()) {
            try {
                return decoded(strict(candidate.getKey(), ByteBuffer.wrap(body)), candidate.getKey(), candidate.getValue(), notes);
            } catch (InvalidBytes e) {
                notes.add(candidate.getValue().equals(FALLBACK) ? "not GB18030 either: " + e.getMessage()
                        : candidate.getValue().startsWith("detected") ? "not " + candidate.getKey().name() + " (" + candidate.getValue() + ") either: " + e.getMessage()
                        : candidate.getValue() + " said " + candidate.getKey().name() + ", but " + e.getMessage());
            }
        }
        if (!notes.contains(notUtf8)) {
            notes.add(0, notUtf8);
        }
        throw new UnreadablePageException("undecodable page: " + String.join("; ", notes));
    }

    /**
     * The candidates of a page that declares no charset but UTF-8 (which it is not): a confident detector's guesses
     * alone, so that a damaged page of a charset it recognises is rejected rather than read in another one; when the
     * detector is unsure (a short text), GB18030 first, then its guesses.
     */
    private static void detected(byte[] body, Map<Charset, String> candidates) {
        CharsetDetector detector = new CharsetDetector();
        detector.setText(body);
        Map<Charset, String> guesses = new LinkedHashMap<>();
        int best = 0;
        for (CharsetMatch match : detector.detectAll()) {
            Charset charset = charsetFor(match.getName().replaceFirst("-[IE]$", "")); // ISO-8859-8-I is ISO-8859-8 in logical order
            if (charset == null || charset.name().startsWith("UTF-")) {
                continue; // UTF-8 was tried; UTF-16 and UTF-32 have a byte-order mark or an XML signature when meant
            }
            best = Math.max(best, match.getConfidence());
            if (best < CONFIDENT || match.getConfidence() >= CONFIDENT) {
                guesses.putIfAbsent(charset, "detected by ICU4J, confidence " + match.getConfidence());
            }
        }
        if (best < CONFIDENT) {
            candidates.put(GB18030, FALLBACK);
        }
        guesses.forEach(candidates::putIfAbsent);
    }

    private static Decoded decoded(String text, Charset charset, String chosenBy, List<String> notes) {
        String basis = charset.name() + " (" + chosenBy + ")";
        return new Decoded(text, charset, notes.isEmpty() ? basis : basis + "; " + String.join("; ", notes));
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Maps a charset label as pages write it to the charset used to decode it; null if Java does not know it. */
    static Charset charsetFor(String label) {
        String name = label.trim().toLowerCase(Locale.ROOT);
        if (GB_LABELS.contains(name)) {
            return GB18030;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private static void declare(Map<Charset, String> candidates, List<String> failures, Matcher declaration, String where) {
        if (declaration == null || !declaration.find()) {
            return;
        }
        Charset charset = charsetFor(declaration.group(1));
        if (charset == null) {
            failures.add(where + " declared the unknown charset '" + declaration.group(1) + "'");
        } else {
            candidates.putIfAbsent(charset, where);
        }
    }

    private static Decoded decodeByBom(byte[] body) throws UnreadablePageException {
        Charset charset;
        int length;
        if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            length = 3;
        } else if (startsWith(body, 0x00, 0x00, 0xFE, 0xFF)) {
            charset = Charset.forName("UTF-32BE");
            length = 4;
        } else if (startsWith(body, 0xFF, 0xFE, 0x00, 0x00)) {
            charset = Charset.forName("UTF-32LE");
            length = 4;
        } else if (startsWith(body, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            length = 2;
        } else if (startsWith(body, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            length = 2;
        } else {
            return null;
        }
        try {
            String text = strict(charset, ByteBuffer.wrap(body, length, body.length - length));
            return new Decoded(text, charset, charset.name() + " (byte-order mark)");
        } catch (InvalidBytes e) {
            throw new UnreadablePageException("undecodable page: the byte-order mark said " + charset.name() + ", but " + e.getMessage());
        }
    }

    /** An XML document in UTF-16 or UTF-32 without a byte-order mark: its first character is {@code <}, wide. */
    private static Decoded decodeByXmlSignature(byte[] body) throws UnreadablePageException {
        Charset charset;
        if (startsWith(body, 0x00, 0x00, 0x00, 0x3C)) {
            charset = Charset.forName("UTF-32BE");
        } else if (startsWith(body, 0x3C, 0x00, 0x00, 0x00)) {
            charset = Charset.forName("UTF-32LE");
        } else if (body.length >= 4 && body[0] == 0 && body[1] == 0x3C && body[2] == 0 && body[3] != 0) {
            charset = StandardCharsets.UTF_16BE;
        } else if (body.length >= 4 && body[0] == 0x3C && body[1] == 0 && body[2] != 0 && body[3] == 0) {
            charset = StandardCharsets.UTF_16LE;
        } else {
            return null;
        }
        try {
            return new Decoded(strict(charset, ByteBuffer.wrap(body)), charset, charset.name() + " (the document's first bytes)");
        } catch (InvalidBytes e) {
            throw new UnreadablePageException("undecodable page: its first bytes are " + charset.name() + "'s, but " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] body, int... prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((body[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String strict(Charset charset, ByteBuffer in) throws InvalidBytes {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidBytes(in); // the decoder stops at the start of the bad sequence
        }
    }

    /** Where decoding failed, with the bytes there, so that the reason shows what the page really holds. */
    private static final class InvalidBytes extends Exception {
        InvalidBytes(ByteBuffer in) {
            super(describe(in));
        }

        private static String describe(ByteBuffer in) {
            StringBuilder bytes = new StringBuilder();
            for (int i = in.position(); i < Math.min(in.limit(), in.position() + 4); i++) {
                bytes.append(bytes.isEmpty() ? "" : " ").append(String.format("%02X", in.get(i) & 0xFF));
            }
            return "the bytes at offset " + in.position() + " (" + bytes + ") are invalid";
        }
    }
}
