package org.opinionwatch.notifier.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.Map;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Role;

/**
 * A webhook: where a role's notifications go, and the key they are signed with.
 *
 * @param shown the URL as delivery records and logs show it: without user-info and query, which may hold credentials
 */
public record Endpoint(URI url, String secret, String shown) {
    /** Shorter secrets are guessable from a captured request and its signature. */
    static final int MIN_SECRET_LENGTH = 16;

    /**
     * The endpoints of the configured webhooks (their URLs were checked when the config was loaded).
     *
     * @throws ConfigException when a webhook has no secret, or a short one, naming its key and variable
     */
    public static Map<Role, Endpoint> of(Map<Role, OpinionWatchConfig.Webhook> webhooks) {
        Map<Role, Endpoint> endpoints = new EnumMap<>(Role.class);
        webhooks.forEach((role, webhook) -> {
            String key = "notifier.webhooks." + role.name() + ".secret";
            if (webhook.secret() == null || webhook.secret().length() < MIN_SECRET_LENGTH) {
                throw new ConfigException("key '" + key + "' must be set, " + MIN_SECRET_LENGTH
                        + " characters at least, for the webhook of " + role + " (use " + ConfigLoader.envName(key) + ")");
            }
            URI url = URI.create(webhook.url());
            endpoints.put(role, new Endpoint(url, webhook.secret(), shown(url)));
        });
        return endpoints;
    }

    /** An endpoint of that URL: what a test or a receiver's tool needs. */
    public static Endpoint of(URI url, String secret) {
        return new Endpoint(url, secret, shown(url));
    }

    private static String shown(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return url.getScheme() + "://" + url.getHost();
        }
    }

    /** Without the secret, which must not reach a log. */
    @Override
    public String toString() {
        return shown;
    }
}
