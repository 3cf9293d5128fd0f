package org.opinionwatch.notifier.channel;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.notifier.webhook.Endpoint;
import org.opinionwatch.notifier.webhook.WebhookClient;

/**
 * The channels of a config, by name: those of {@code notifier.channels}, and a webhook channel
 * {@code webhooks.<ROLE>} for each of {@code notifier.webhooks}. Their credentials are checked here, when the
 * notifier starts (the other stages never need them).
 */
public final class Channels {
    private Channels() {
    }

    /** The name of a role's webhook channel. */
    public static String webhookName(Role role) {
        return "webhooks." + role.name();
    }

    /** The channel names of {@code notifier.webhooks}, by role. */
    public static Map<Role, String> webhookNames(OpinionWatchConfig config) {
        Map<Role, String> names = new EnumMap<>(Role.class);
        config.notifier().webhooks().keySet().forEach(role -> names.put(role, webhookName(role)));
        return names;
    }

    /**
     * @throws ConfigException when a channel lacks a credential, naming the variable that gives it
     */
    public static Map<String, Channel> of(OpinionWatchConfig config, WebhookClient client, Clock clock) {
        OpinionWatchConfig.Notifier n = config.notifier();
        Map<String, Channel> channels = new LinkedHashMap<>();
        n.channels().forEach((name, c) -> channels.put(name, channel(name, c, client, clock, n.timeout())));
        Endpoint.of(n.webhooks()).forEach((role, endpoint) ->
                channels.put(webhookName(role), new WebhookChannel(webhookName(role), endpoint, client, Pace.none())));
        return channels;
    }

    private static Channel channel(String name, OpinionWatchConfig.Channel c, WebhookClient client, Clock clock, Duration timeout) {
        String key = "notifier.channels." + name;
        return switch (c.type()) {
            case "wecom" -> robot(name, c, new WeComRobot(url(c, WeComRobot.URL), required(key, "token", c.token(), 1)), client, clock);
            case "dingtalk" -> robot(name, c, new DingTalkRobot(url(c, DingTalkRobot.URL), required(key, "token", c.token(), 1),
                    required(key, "secret", c.secret(), 1)), client, clock);
            case "feishu" -> robot(name, c, new FeishuRobot(url(c, FeishuRobot.URL), required(key, "token", c.token(), 1),
                    required(key, "secret", c.secret(), 1)), client, clock);
            case "webhook" -> new WebhookChannel(name, Endpoint.of(java.net.URI.create(c.url()), required(key, "secret", c.secret(), 16)),
                    client, new Pace(c.perMinute(), 0));
            case "email" -> {
                required(key, "password", c.password(), 1);
                yield new EmailChannel(name, c, timeout, new Pace(c.perMinute(), 0));
            }
            default -> throw new ConfigException("key '" + key + ".type': unknown channel type " + c.type());
        };
    }

    private static RobotChannel robot(String name, OpinionWatchConfig.Channel c, Robot robot, WebhookClient client, Clock clock) {
        return new RobotChannel(name, robot, client, new Pace(c.perMinute() > 0 ? c.perMinute() : robot.perMinute(), robot.perSecond()), clock);
    }

    private static String url(OpinionWatchConfig.Channel c, String defaultUrl) {
        String url = c.url() == null || c.url().isBlank() ? defaultUrl : c.url().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String required(String channelKey, String field, String value, int minLength) {
        String key = channelKey + "." + field;
        if (value == null || value.length() < minLength) {
            throw new ConfigException("key '" + key + "' must be set" + (minLength > 1 ? ", " + minLength + " characters at least" : "")
                    + ": give it in " + ConfigLoader.envName(key));
        }
        return value;
    }
}
