package org.opinionwatch.ingest.archive;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The archive layouts that ingest can replay. */
public enum ArchiveFormat {
    /** The project's own archive: one {@code post/1} JSON object per line, exactly as on {@code posts.raw}. */
    JSONL("jsonl"),
    /**
     * The Weibo CED dataset layout ({@code original-microblog/NAME.json} with reactions in {@code rumor-repost/}
     * or {@code non-rumor-repost/}); post ids are {@code "weibo-ced:" + NAME}.
     */
    WEIBO_CED("weibo-ced");

    private final String id;

    ArchiveFormat(String id) {
        this.id = id;
    }

    /** The name used on command lines and in configuration. */
    public String id() {
        return id;
    }

    /** The format named {@code id} ("jsonl", "weibo-ced"), ignoring case. */
    public static ArchiveFormat parse(String id) {
        for (ArchiveFormat format : values()) {
            if (format.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return format;
            }
        }
        String choices = Arrays.stream(values()).map(ArchiveFormat::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown archive format \"" + id + "\"; choose one of: " + choices);
    }
}
