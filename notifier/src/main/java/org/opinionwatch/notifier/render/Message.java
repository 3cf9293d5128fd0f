package org.opinionwatch.notifier.render;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig.Person;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.notifier.route.Audience;

/**
 * A notification as a person reads it, the same for every channel, which each renders its own way: a title, the
 * people asked, the story's link and counts, the first deadline, the action links, the plan's text, and the report.
 *
 * @param raw the notification's bytes as on the topic: what a webhook receives
 * @param links the action links, empty when links are off or the notification asks nothing a link can record
 * @param linksValidUntil when the links expire; null without links
 */
public record Message(Notification notification, byte[] raw, Audience audience, Frame frame, List<Link> links, Instant linksValidUntil) {
    /** Longest title: a chat card's header and an e-mail's subject show no more. */
    static final int TITLE_CODE_POINTS = 80;

    /** An action link: what it records, as a button reads, and where it goes. */
    public record Link(String action, String label, String url) {
    }

    public Message {
        links = List.copyOf(links);
    }

    /** The first line of the plan's text, which names the level and the story, or the digest or report. */
    public String title() {
        String instructions = notification.instructions() == null ? "" : notification.instructions().strip();
        String first = instructions.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            first = notification.kind() + " " + notification.role();
        }
        return first.codePointCount(0, first.length()) <= TITLE_CODE_POINTS ? first
                : first.substring(0, first.offsetByCodePoints(0, TITLE_CODE_POINTS - 1)) + "…";
    }

    /** The plan's text after its first line (the title). */
    public String body() {
        String instructions = notification.instructions() == null ? "" : notification.instructions().strip();
        int newline = instructions.indexOf('\n');
        return newline < 0 ? "" : instructions.substring(newline + 1).strip();
    }

    /** The lines of the frame before the plan's text, plain: who is asked, a fall back, counts, the deadline. */
    public List<String> facts() {
        List<String> lines = new ArrayList<>();
        if (audience.fellBack()) {
            lines.add(frame.t("passed-over", String.join(frame.t("people.separator"), audience.passedOver()), audience.name()));
        }
        if (notification.metrics() != null) {
            var m = notification.metrics();
            lines.add(frame.t("metrics", m.views(), m.comments(), m.outlets()));
        }
        if (notification.due() != null) {
            lines.add(frame.t("due", frame.time(notification.due())));
        }
        return lines;
    }

    /**
     * Names of the people on duty it asks, in the roster's order; a department without anyone in particular is asked
     * by its name, which the plan's text (责任部门) does not give.
     */
    public List<String> asked() {
        if (audience.persons().isEmpty() && audience.id().startsWith("department:")) {
            return List.of(audience.name());
        }
        return audience.persons().stream().map(Person::name).toList();
    }

    /** The story's title, or the placeholder of an untitled post; null for a digest or a report. */
    public String storyTitle() {
        if (notification.rootPost() == null) {
            return null;
        }
        String title = notification.rootPost().title();
        return title == null || title.isBlank() ? frame.t("story.untitled") : title.strip();
    }

    /** The story's link, or null. */
    public String storyUrl() {
        return notification.rootPost() == null ? null : notification.rootPost().url();
    }

    /** The line that introduces the action links, with their expiry. */
    public String actionsIntro() {
        return frame.t("actions", frame.time(linksValidUntil));
    }
}
