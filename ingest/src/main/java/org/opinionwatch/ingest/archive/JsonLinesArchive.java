package org.opinionwatch.ingest.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.ingest.publish.PostBounds;

/**
 * The project's own archive: one {@code post/1} object per line, the wire format of {@code posts.raw}, so a topic
 * dumped to a file replays as it was. Input: one file, or a directory whose {@code *.jsonl} and {@code *.jsonl.gz}
 * files are read in name order; any of them may be gzip-compressed ({@link Gzip}). Every unreadable line becomes a
 * dead letter (source {@code "jsonl:" + file name}, location {@code file:line}), and so does every post out of
 * {@linkplain PostBounds bounds}; the other lines still come through.
 * Compressed data that breaks off is one more dead letter, at the line where it broke: what came before it counts.
 */
final class JsonLinesArchive {
    /** Longer lines are rejected unparsed: no honest post is that big, and parsing it could exhaust memory. */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    // Strict: an archive comes from outside, so an unknown field is a mistake to report, not to drop silently.
    private static final JsonSerde<Post> POSTS = new JsonSerde<>(Post.class, Post.SCHEMA, Json.STRICT);

    private JsonLinesArchive() {
    }

    static ArchiveContents read(Path input, PostBounds bounds) throws IOException {
        List<Post> posts = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        for (Path file : files(input)) {
            new OneFile(file, bounds, posts, rejected).read();
        }
        return new ArchiveContents(posts, rejected);
    }

    private static List<Path> files(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            if (!Files.isRegularFile(input)) {
                throw new IOException("no JSON lines archive at " + input);
            }
            return List.of(input);
        }
        try (Stream<Path> entries = Files.list(input)) {
            return entries.filter(p -> Gzip.withoutSuffix(p.getFileName().toString()).endsWith(".jsonl") && Files.isRegularFile(p))
                    .sorted() // name order: archives split by day or by part replay in sequence
                    .toList();
        }
    }

    /**
     * Splits one file into lines on bytes rather than with a {@code Reader}, so that invalid UTF-8 is seen per line
     * and an overlong line is skipped without being held in memory.
     */
    private static final class OneFile {
        private final String name;
        private final Path file;
        private final PostBounds bounds;
        private final List<Post> posts;
        private final List<DeadLetter> rejected;
        private final byte[] line = new byte[MAX_LINE_BYTES];
        private int kept;          // bytes of the current line held in `line`
        private long lineLength;   // bytes of the current line seen so far, kept or not
        private int lineNumber = 1;

        OneFile(Path file, PostBounds bounds, List<Post> posts, List<DeadLetter> rejected) {
            this.file = file;
            this.bounds = bounds;
            this.name = file.getFileName().toString();
            this.posts = posts;
            this.rejected = rejected;
        }

        void read() throws IOException {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = Gzip.open(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            endOfLine();
                        } else {
                            if (kept < line.length) {
                                line[kept++] = buffer[i];
                            }
                            lineLength++;
                        }
                    }
                }
            } catch (IOException e) {
                if (!Gzip.isBrokenData(e)) {
                    throw e;
                }
                reject("compressed data broken off (" + e.getMessage() + "): this line and any after it are lost",
                        Utf8.decodeLeniently(line, 0, kept));
                return;
            }
            if (lineLength > 0) { // last line without a final newline
                endOfLine();
            }
        }

        private void endOfLine() {
            int end = kept > 0 && line[kept - 1] == '\r' ? kept - 1 : kept;
            int start = lineNumber == 1 && startsWithByteOrderMark(end) ? 3 : 0;
            handle(start, end - start);
            kept = 0;
            lineLength = 0;
            lineNumber++;
        }

        /** Some editors start a UTF-8 file with a byte order mark; it is not part of the first line's JSON. */
        private boolean startsWithByteOrderMark(int end) {
            return end >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF;
        }

        private void handle(int offset, int length) {
            if (lineLength > MAX_LINE_BYTES) {
                reject("line of " + lineLength + " bytes is over the 1 MiB limit", Utf8.decodeLeniently(line, offset, length));
                return;
            }
            String text;
            try {
                text = Utf8.decode(line, offset, length);
            } catch (Utf8.InvalidUtf8Exception e) {
                reject("line is " + e.getMessage(), Utf8.decodeLeniently(line, offset, length));
                return;
            }
            if (text.isBlank()) {
                return;
            }
            Post post;
            try {
                post = POSTS.parse(text);
            } catch (SerializationException e) {
                reject(e.getMessage(), text);
                return;
            }
            List<Limits.Violation> violations = bounds.check(post);
            if (violations.isEmpty()) {
                posts.add(post);
            } else {
                reject(PostBounds.reason(violations), text);
            }
        }

        private void reject(String reason, String input) {
            rejected.add(DeadLetter.of("jsonl:" + name, name + ":" + lineNumber, reason, input, Instant.now()));
        }
    }
}
