package org.opinionwatch.notifier.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.OpinionWatchConfig.Webhook;
import org.opinionwatch.contract.event.Role;

class EndpointTest {
    @Test
    void aWebhookWithoutASecretOrWithAShortOneIsRefusedNamingItsVariable() {
        ConfigException none = assertThrows(ConfigException.class,
                () -> Endpoint.of(Map.of(Role.LEADERSHIP_GROUP, new Webhook("https://hooks.example.edu/lg", ""))));
        assertEquals("key 'notifier.webhooks.LEADERSHIP_GROUP.secret' must be set, 16 characters at least, for the webhook of "
                + "LEADERSHIP_GROUP (use OW_NOTIFIER_WEBHOOKS_LEADERSHIP_GROUP_SECRET)", none.getMessage());
        assertThrows(ConfigException.class, () -> Endpoint.of(Map.of(Role.OFFICE, new Webhook("https://hooks.example.edu/o", "short"))));
    }

    @Test
    void recordsAndLogsShowTheUrlWithoutCredentials() {
        Endpoint endpoint = Endpoint.of(Map.of(Role.OFFICE,
                new Webhook("https://bot:pa55@hooks.example.edu:8443/office?token=abc", "whsec-0123456789abcdef"))).get(Role.OFFICE);
        assertEquals("https://hooks.example.edu:8443/office", endpoint.shown());
        assertEquals("https://hooks.example.edu:8443/office", endpoint.toString(), "no secret in a log line");
        assertEquals("https://bot:pa55@hooks.example.edu:8443/office?token=abc", endpoint.url().toString(), "the request goes to the whole URL");
    }
}
