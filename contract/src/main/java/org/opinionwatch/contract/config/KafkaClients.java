package org.opinionwatch.contract.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings every Kafka client of Opinion Watch starts from: where the cluster is and how to connect to it
 * ({@code kafka.bootstrapServers} and {@code kafka.security}). Admin clients, producers, consumers and the Kafka
 * Streams stages all take them from here, so that a secured cluster's settings reach each one of them.
 *
 * <p>Passwords and the login (JAAS) text are given as Kafka's {@link Password}, which prints as {@code [hidden]}:
 * the clients log their settings when they start.
 */
public final class KafkaClients {
    /** The login modules of the mechanisms that {@link ConfigLoader} accepts; SCRAM's serves both hash sizes. */
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    private KafkaClients() {
    }

    /** The SASL mechanisms a client can log in with. */
    public static java.util.Set<String> mechanisms() {
        return LOGIN_MODULES.keySet();
    }

    /** Bootstrap servers and security settings, for any kind of client. */
    public static Map<String, Object> settings(OpinionWatchConfig.Kafka kafka) {
        return settings(kafka, Map.of());
    }

    /**
     * A client's own settings with the connection's: the connection's win, so that no client's own settings can leave
     * the cluster's security out.
     */
    public static Map<String, Object> settings(OpinionWatchConfig.Kafka kafka, Map<String, ?> own) {
        Map<String, Object> settings = new HashMap<>(own);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        OpinionWatchConfig.Security security = kafka.security();
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, security.protocol().name());
        if (security.protocol().sasl()) {
            OpinionWatchConfig.Sasl sasl = security.sasl();
            settings.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism());
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaasConfig(sasl)));
        }
        if (security.protocol().tls()) {
            OpinionWatchConfig.Ssl ssl = security.ssl();
            putIfSet(settings, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ssl.truststoreLocation());
            putIfSet(settings, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, ssl.truststoreType());
            putPasswordIfSet(settings, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ssl.truststorePassword());
            putIfSet(settings, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, ssl.keystoreLocation());
            putIfSet(settings, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, ssl.keystoreType());
            putPasswordIfSet(settings, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, ssl.keystorePassword());
            putPasswordIfSet(settings, SslConfigs.SSL_KEY_PASSWORD_CONFIG, ssl.keyPassword());
            // Kafka's default is "https" (the certificate must name the host); an empty algorithm turns the check off.
            settings.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, ssl.endpointIdentification() ? "https" : "");
        }
        return settings;
    }

    /**
     * {@link #settings(OpinionWatchConfig.Kafka, Map)} for a consumer that reads topics as far as they are written and
     * closes: the broker answers its fetches at once instead of holding each open for up to {@code fetch.max.wait.ms}
     * (half a second by default) while nothing new comes, and its close would wait out the last.
     */
    public static Map<String, Object> readingToEnd(OpinionWatchConfig.Kafka kafka, Map<String, ?> own) {
        Map<String, Object> reading = new HashMap<>(own);
        reading.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return settings(kafka, reading);
    }

    /** {@link #settings(OpinionWatchConfig.Kafka)} as properties, for the clients configured that way. */
    public static Properties properties(OpinionWatchConfig.Kafka kafka) {
        Properties p = new Properties();
        p.putAll(settings(kafka));
        return p;
    }

    /** The client's login, written for Kafka's JAAS parser: the user never writes JAAS text. */
    static String jaasConfig(OpinionWatchConfig.Sasl sasl) {
        String module = LOGIN_MODULES.get(sasl.mechanism());
        if (module == null) {
            throw new IllegalArgumentException("no SASL mechanism " + sasl.mechanism() + ": one of " + mechanisms());
        }
        return module + " required username=" + quoted(sasl.username()) + " password=" + quoted(sasl.password()) + ";";
    }

    /**
     * A value in double quotes as Kafka's JAAS parser (a {@link java.io.StreamTokenizer}) reads it: a backslash
     * escapes the next character, and a line break would end the value, so it is written as an escape too.
     */
    static String quoted(String value) {
        StringBuilder s = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\', '"' -> s.append('\\').append(c);
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                default -> s.append(c);
            }
        }
        return s.append('"').toString();
    }

    private static void putIfSet(Map<String, Object> settings, String key, String value) {
        if (value != null && !value.isEmpty()) {
            settings.put(key, value);
        }
    }

    private static void putPasswordIfSet(Map<String, Object> settings, String key, String value) {
        if (value != null && !value.isEmpty()) {
            settings.put(key, new Password(value));
        }
    }
}
