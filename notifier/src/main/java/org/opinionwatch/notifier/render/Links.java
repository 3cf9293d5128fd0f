package org.opinionwatch.notifier.render;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.link.ActionLink;
import org.opinionwatch.notifier.route.Audience;

/**
 * The action links of a message ({@code escalation.actions.links}): for a notification about one incident that gives,
 * reminds of or reports overdue duties with a deadline, one link per such duty ({@code 已转交}, {@code 已答复}, ...),
 * and for the office's own notices a {@code 不相关} (dismiss) link. Each is signed, expires {@code validFor} after the
 * message is made, and is the same link in every channel and every delivery of the notification.
 */
public final class Links {
    /** A shorter key could be guessed from a link and its signature. */
    public static final int MIN_SECRET_LENGTH = 32;
    private static final Set<Notification.Kind> ACTIONABLE = Set.of(Notification.Kind.DUTIES, Notification.Kind.REMINDER, Notification.Kind.OVERDUE);

    private final OpinionWatchConfig.ActionLinks settings;
    private final Clock clock;

    /** @throws ConfigException when links are on without a secret, or with a short one */
    public Links(OpinionWatchConfig.ActionLinks settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        if (settings.enabled() && (settings.secret() == null || settings.secret().length() < MIN_SECRET_LENGTH)) {
            throw new ConfigException("key 'escalation.actions.links.secret' must be set, " + MIN_SECRET_LENGTH + " characters at least, "
                    + "when escalation.actions.links.baseUrl is (use " + ConfigLoader.envName("escalation.actions.links.secret") + ")");
        }
    }

    /** The message of a notification for an audience, with its links. */
    public Message message(Notification n, byte[] raw, Audience audience, Frame frame) {
        if (!settings.enabled() || n.incidentId() == null || !ACTIONABLE.contains(n.kind())) {
            return new Message(n, raw, audience, frame, List.of(), null);
        }
        Instant expires = clock.instant().plus(settings.validFor());
        String person = audience.persons().size() == 1 ? audience.persons().get(0).name() : null;
        List<Message.Link> links = new ArrayList<>();
        for (String duty : n.duties()) {
            if (n.deadlines().containsKey(duty)) {
                links.add(link(n, duty, person, frame, expires));
            }
        }
        if (n.role() == Role.OFFICE && n.kind() != Notification.Kind.OVERDUE) {
            links.add(link(n, ActionLink.DISMISS, person, frame, expires));
        }
        return new Message(n, raw, audience, frame, links, links.isEmpty() ? null : expires);
    }

    private Message.Link link(Notification n, String action, String person, Frame frame, Instant expires) {
        ActionLink link = ActionLink.of(n.id(), n.incidentId(), action, n.role(), person, frame.lang(), expires);
        return new Message.Link(action, frame.label(action), link.url(settings.baseUrl(), settings.secret()));
    }
}
