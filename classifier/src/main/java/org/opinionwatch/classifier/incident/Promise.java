package org.opinionwatch.classifier.incident;

/**
 * A task's promise on one of the classifier's loop topics: nothing older than the record's time is still to come
 * from it there. A task downstream of a loop takes the lowest of its upstream tasks' promises as how far it may go,
 * so that what is still in the loop is never overtaken.
 *
 * @param source what kind of task promises
 * @param task the promising task's partition
 */
public record Promise(Source source, int task) {
    public enum Source {
        /** A task reading posts.raw and the clock: how far its partition has got (to the story grouper and its router). */
        POSTS,
        /** A story grouper task: every story before it is decided (to the routers). */
        GROUPER,
        /** A task's router: every increment before it is routed (to the incident processors). */
        ROUTER
    }
}
