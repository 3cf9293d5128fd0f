package org.opinionwatch.notifier.channel;

import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;
import org.opinionwatch.notifier.webhook.Endpoint;
import org.opinionwatch.notifier.webhook.WebhookClient;

/**
 * The generic signed webhook: the notification's JSON exactly as on the topic, signed ({@code
 * X-OpinionWatch-Signature}), for a receiver of the school's own (SMS gateway, ticket system).
 */
public record WebhookChannel(String name, Endpoint endpoint, WebhookClient client, Pace pace) implements Channel {
    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public String shown() {
        return endpoint.shown();
    }

    @Override
    public Attempt send(Message message) throws InterruptedException {
        return client.post(endpoint, message.notification().id(), message.raw());
    }

    @Override
    public String toString() {
        return name + " (webhook " + endpoint.shown() + ")";
    }
}
