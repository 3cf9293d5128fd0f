package org.opinionwatch.notifier.channel;

import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * Where a message goes: a chat group's robot (WeCom, DingTalk, Feishu), a mail account, or a signed webhook. Each
 * renders the message its own way and says, for each attempt, whether the service took it, refused it for good, or
 * failed in a way worth another attempt ({@link Attempt.Kind}). Thread-safe: one lane sends on it at a time, but
 * {@link #pace} is shared.
 */
public sealed interface Channel permits WebhookChannel, RobotChannel, EmailChannel {
    /** Its name in {@code notifier.channels} ({@code webhooks.OFFICE} for a role's webhook). */
    String name();

    /** {@code wecom}, {@code dingtalk}, {@code feishu}, {@code email} or {@code webhook}. */
    String type();

    /** Where it sends, without any credential: for delivery records and logs. */
    String shown();

    /** How many messages it may send a minute. */
    Pace pace();

    /** Why this message reaches nobody on it (an e-mail without any address), or null when it reaches someone. */
    default String unreachable(Message message) {
        return null;
    }

    /** One attempt to deliver the message. */
    Attempt send(Message message) throws InterruptedException;
}
