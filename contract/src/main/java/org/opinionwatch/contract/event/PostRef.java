package org.opinionwatch.contract.event;

/**
 * A short reference to a post, enough for a person to open it. Short by construction: the title is quoted to
 * {@link Limits#QUOTED_TITLE_CHARS} and the url cut at {@link Limits#URL_CHARS} (with {@link Limits#TRUNCATED}), so
 * that the events and states that carry references (top posts, joined stories, notifications) stay small whatever a
 * post says.
 */
public record PostRef(String id, String url, String title) {
    public PostRef {
        url = Limits.truncate(url, Limits.URL_CHARS);
        title = Limits.truncate(title, Limits.QUOTED_TITLE_CHARS);
    }

    /** The reference to {@code post}. */
    public static PostRef of(Post post) {
        return new PostRef(post.id(), post.url(), post.title());
    }
}
