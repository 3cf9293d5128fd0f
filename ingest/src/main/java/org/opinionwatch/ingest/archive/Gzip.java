package org.opinionwatch.ingest.archive;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Archive files may be gzip-compressed. Whether one is, is read from its first two bytes (gzip's magic number), not
 * from its name: a renamed or mislabelled file still reads right.
 */
final class Gzip {
    private static final int MAGIC_1 = 0x1f;
    private static final int MAGIC_2 = 0x8b;

    private Gzip() {
    }

    /** The file's content, decompressed if it is gzip; the caller closes the stream. */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        try {
            in.mark(2);
            boolean gzip = in.read() == MAGIC_1 && in.read() == MAGIC_2;
            in.reset();
            return gzip ? new GZIPInputStream(in, 64 * 1024) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Whether a read failed because the compressed data is broken or cut short (the file's content is at fault, not
     * the disk): what was read before it is good, the rest is lost.
     */
    static boolean isBrokenData(IOException e) {
        return e instanceof ZipException || e instanceof EOFException;
    }

    /**
     * A whole file, decompressed if it is gzip.
     *
     * @param bytes everything that could be read: all of it, or what came before compressed data broke off
     * @param broken why the compressed data broke off, or null if the file was read whole
     */
    record Content(byte[] bytes, String broken) {
    }

    static Content readAll(Path file) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = open(file)) {
            in.transferTo(out);
            return new Content(out.toByteArray(), null);
        } catch (IOException e) {
            if (!isBrokenData(e)) {
                throw e;
            }
            return new Content(out.toByteArray(), e.getMessage());
        }
    }

    /** A file name without its {@code .gz}, if it has one: {@code a.jsonl.gz} is read as {@code a.jsonl}. */
    static String withoutSuffix(String fileName) {
        return fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
    }
}
