package org.opinionwatch.ingest.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The saved pages under {@code src/test/resources/source/}. */
final class Pages {
    private Pages() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/source/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test page " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A saved page decoded as a fetcher would, without a Content-Type header. */
    static String text(String name) {
        try {
            return PageDecoder.decode(bytes(name), null).text();
        } catch (UnreadablePageException e) {
            throw new AssertionError(e);
        }
    }
}
