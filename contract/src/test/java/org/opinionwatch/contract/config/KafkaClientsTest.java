package org.opinionwatch.contract.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client settings built from {@code kafka.security}, and how the config's security settings are checked. */
class KafkaClientsTest {
    @TempDir
    Path dir;

    private static OpinionWatchConfig.Kafka kafka(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("OW_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093,kafka-2:9093");
        return ConfigLoader.load(null, all).kafka();
    }

    private static String loadError(Path file, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, env)).getMessage();
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("ow.yaml"), yaml);
    }

    @Test
    void theDefaultsConnectInTheClearWithoutCredentials() {
        assertEquals(Map.of("bootstrap.servers", "kafka-1:9093,kafka-2:9093", "security.protocol", "PLAINTEXT"),
                KafkaClients.settings(kafka(Map.of())));
    }

    @Test
    void aReaderToTheEndHasItsFetchesAnsweredAtOnceAndKeepsTheConnection() {
        Map<String, Object> settings = KafkaClients.readingToEnd(kafka(Map.of()), Map.of("isolation.level", "read_committed",
                "bootstrap.servers", "elsewhere:9092"));
        // The broker's default wait (500 ms) would hold the last fetch open, and the consumer's close would wait it out.
        assertEquals(10, settings.get("fetch.max.wait.ms"));
        assertEquals("read_committed", settings.get("isolation.level"));
        assertEquals("kafka-1:9093,kafka-2:9093", settings.get("bootstrap.servers"), "the connection's settings win");
    }

    @Test
    void saslCredentialsFromTheEnvironmentBecomeTheLoginEvenWithQuotesBackslashesAndLineBreaks() {
        String password = "p\"a;s\\s w=o}r'd\n第二行\r\t$-_";
        Map<String, Object> settings = KafkaClients.settings(kafka(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "OW_KAFKA_SECURITY_SASL_MECHANISM", "PLAIN", "OW_KAFKA_SECURITY_SASL_USERNAME", "ingest \"a\"",
                "OW_KAFKA_SECURITY_SASL_PASSWORD", password)));

        assertEquals("SASL_PLAINTEXT", settings.get("security.protocol"));
        assertEquals("PLAIN", settings.get("sasl.mechanism"));
        AppConfigurationEntry login = login(settings);
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule", login.getLoginModuleName());
        assertEquals(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, login.getControlFlag());
        assertEquals(Map.of("username", "ingest \"a\"", "password", password), login.getOptions(), "Kafka's own parser reads them back");
        assertFalse(settings.keySet().stream().anyMatch(k -> k.startsWith("ssl.")), "no TLS settings without TLS: " + settings.keySet());
        assertFalse(settings.toString().contains("s w=o"), "the password is not printed with the settings: " + settings);
    }

    @Test
    void scramOverTlsWithATruststore() throws IOException {
        Path truststore = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Map<String, Object> settings = KafkaClients.settings(kafka(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "OW_KAFKA_SECURITY_SASL_MECHANISM", "SCRAM-SHA-512", "OW_KAFKA_SECURITY_SASL_USERNAME", "escalation",
                "OW_KAFKA_SECURITY_SASL_PASSWORD", "s3cret", "OW_KAFKA_SECURITY_SSL_TRUSTSTORE_LOCATION", truststore.toString(),
                "OW_KAFKA_SECURITY_SSL_TRUSTSTORE_TYPE", "PEM")));

        assertEquals("SASL_SSL", settings.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", login(settings).getLoginModuleName());
        assertEquals(Map.of("username", "escalation", "password", "s3cret"), login(settings).getOptions());
        assertEquals(truststore.toString(), settings.get("ssl.truststore.location"));
        assertEquals("PEM", settings.get("ssl.truststore.type"));
        assertEquals("https", settings.get("ssl.endpoint.identification.algorithm"));
        assertFalse(settings.containsKey("ssl.truststore.password"));
        assertFalse(settings.containsKey("ssl.keystore.location"));
    }

    @Test
    void mutualTlsGivesTheClientsKeystoreAndHidesItsPasswords() throws IOException {
        Path keystore = Files.write(dir.resolve("notifier.p12"), new byte[] {1});
        Path truststore = Files.write(dir.resolve("ca.p12"), new byte[] {1});
        Map<String, Object> settings = KafkaClients.settings(kafka(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SSL",
                "OW_KAFKA_SECURITY_SSL_TRUSTSTORE_LOCATION", truststore.toString(), "OW_KAFKA_SECURITY_SSL_TRUSTSTORE_TYPE", "PKCS12",
                "OW_KAFKA_SECURITY_SSL_TRUSTSTORE_PASSWORD", "trust-pw", "OW_KAFKA_SECURITY_SSL_KEYSTORE_LOCATION", keystore.toString(),
                "OW_KAFKA_SECURITY_SSL_KEYSTORE_TYPE", "PKCS12", "OW_KAFKA_SECURITY_SSL_KEYSTORE_PASSWORD", "store-pw",
                "OW_KAFKA_SECURITY_SSL_KEY_PASSWORD", "key-pw", "OW_KAFKA_SECURITY_SSL_ENDPOINT_IDENTIFICATION", "false")));

        assertEquals("SSL", settings.get("security.protocol"));
        assertFalse(settings.containsKey("sasl.jaas.config"));
        assertFalse(settings.containsKey("sasl.mechanism"));
        assertEquals(keystore.toString(), settings.get("ssl.keystore.location"));
        assertEquals("PKCS12", settings.get("ssl.keystore.type"));
        assertEquals(new Password("store-pw"), settings.get("ssl.keystore.password"));
        assertEquals(new Password("key-pw"), settings.get("ssl.key.password"));
        assertEquals(new Password("trust-pw"), settings.get("ssl.truststore.password"));
        assertEquals("", settings.get("ssl.endpoint.identification.algorithm"), "an empty algorithm is Kafka's way to turn the check off");
        assertFalse(settings.toString().contains("-pw"), settings.toString());
        // Each kind of client takes them as they are.
        String strings = "org.apache.kafka.common.serialization.String";
        assertEquals(new Password("key-pw"), new AdminClientConfig(settings).getPassword("ssl.key.password"));
        assertEquals("SSL", new ProducerConfig(KafkaClients.settings(kafka(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SSL")),
                Map.of("key.serializer", strings + "Serializer", "value.serializer", strings + "Serializer"))).getString("security.protocol"));
        assertEquals("SSL", new ConsumerConfig(KafkaClients.settings(kafka(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SSL")),
                Map.of("key.deserializer", strings + "Deserializer", "value.deserializer", strings + "Deserializer"))).getString("security.protocol"));
    }

    @Test
    void aClientsOwnSettingsCannotLeaveTheConnectionsOut() {
        Map<String, Object> settings = KafkaClients.settings(kafka(Map.of()),
                Map.of("bootstrap.servers", "elsewhere:9092", "security.protocol", "SSL", "acks", "all"));
        assertEquals("kafka-1:9093,kafka-2:9093", settings.get("bootstrap.servers"));
        assertEquals("PLAINTEXT", settings.get("security.protocol"));
        assertEquals("all", settings.get("acks"));
    }

    @Test
    void aPrintedConfigHidesEveryPassword() {
        OpinionWatchConfig c = ConfigLoader.load(null, Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "OW_KAFKA_SECURITY_SASL_MECHANISM", "SCRAM-SHA-256", "OW_KAFKA_SECURITY_SASL_USERNAME", "act",
                "OW_KAFKA_SECURITY_SASL_PASSWORD", "hunter2-sasl"));
        assertTrue(c.toString().contains("username=act, password=(set)"), c.toString());
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertEquals("Ssl[truststoreLocation=, truststoreType=, truststorePassword=(none), keystoreLocation=, keystoreType=, "
                + "keystorePassword=(none), keyPassword=(set), endpointIdentification=true]",
                new OpinionWatchConfig.Ssl("", "", "", "", "", null, "k", true).toString());
    }

    @Test
    void saslNeedsAMechanismAUserAndAPasswordEachNamedByItsKey() throws IOException {
        Path file = write("kafka:\n  security:\n    protocol: SASL_SSL\n    sasl: { mechanism: SCRAM-SHA-1 }\n");
        String message = loadError(file, Map.of());
        assertEquals(List.of(
                file + ": key 'kafka.security.sasl.mechanism' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with protocol SASL_SSL",
                file + ": key 'kafka.security.sasl.username' must be set with protocol SASL_SSL",
                file + ": key 'kafka.security.sasl.password' must be set with protocol SASL_SSL (use OW_KAFKA_SECURITY_SASL_PASSWORD)"),
                message.lines().toList());
    }

    @Test
    void aMechanismLeftOutOfAFileIsNamedNotAnError() throws IOException {
        Path file = write("kafka:\n  security:\n    protocol: SASL_PLAINTEXT\n    sasl: { mechanism: ~, username: u, password: p }\n");
        assertEquals(file + ": key 'kafka.security.sasl.mechanism' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with protocol "
                + "SASL_PLAINTEXT", loadError(file, Map.of()));
    }

    @Test
    void credentialsWithoutASaslProtocolAreRefusedNotDropped() {
        String message = loadError(null, Map.of("OW_KAFKA_SECURITY_SASL_USERNAME", "classifier", "OW_KAFKA_SECURITY_SASL_PASSWORD", "x"));
        assertEquals(List.of(
                "environment variable OW_KAFKA_SECURITY_SASL_PASSWORD (key 'kafka.security.sasl.password') is set, but protocol "
                        + "PLAINTEXT sends no credentials: use SASL_PLAINTEXT or SASL_SSL",
                "environment variable OW_KAFKA_SECURITY_SASL_USERNAME (key 'kafka.security.sasl.username') is set, but protocol "
                        + "PLAINTEXT sends no credentials: use SASL_PLAINTEXT or SASL_SSL"),
                message.lines().toList());
        assertEquals("environment variable OW_KAFKA_SECURITY_SSL_TRUSTSTORE_LOCATION (key 'kafka.security.ssl.truststoreLocation') is "
                + "set, but protocol SASL_PLAINTEXT does not use TLS: use SSL or SASL_SSL", loadError(null, Map.of(
                "OW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "OW_KAFKA_SECURITY_SASL_MECHANISM", "PLAIN",
                "OW_KAFKA_SECURITY_SASL_USERNAME", "u", "OW_KAFKA_SECURITY_SASL_PASSWORD", "p",
                "OW_KAFKA_SECURITY_SSL_TRUSTSTORE_LOCATION", "/etc/ca.pem")));
    }

    @Test
    void anUnknownProtocolNamesTheVariableAndTheProtocols() {
        String message = loadError(null, Map.of("OW_KAFKA_SECURITY_PROTOCOL", "TLS"));
        assertTrue(message.startsWith("environment variable OW_KAFKA_SECURITY_PROTOCOL (key 'kafka.security.protocol')"), message);
        for (String protocol : List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")) {
            assertTrue(message.contains(protocol), message);
        }
    }

    @Test
    void storesFollowKafkasRulesAndAMissingFileIsNamed() throws IOException {
        Path pem = Files.writeString(dir.resolve("client.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Path file = write("kafka:\n  security:\n    protocol: SSL\n    ssl:\n"
                + "      truststoreLocation: " + dir.resolve("missing.jks") + "\n"
                + "      truststoreType: P12\n"
                + "      keystoreLocation: " + pem + "\n"
                + "      keystoreType: PEM\n"
                + "      keystorePassword: not-for-pem\n");
        assertEquals(List.of(
                file + ": key 'kafka.security.ssl.truststoreType' must be JKS, PKCS12 or PEM (empty: JKS)",
                file + ": key 'kafka.security.ssl.truststoreLocation' names no readable file: " + dir.resolve("missing.jks"),
                file + ": key 'kafka.security.ssl.keystorePassword' must be empty for a PEM file (an encrypted key's password is "
                        + "kafka.security.ssl.keyPassword)"),
                loadError(file, Map.of()).lines().toList());

        Path jks = Files.write(dir.resolve("client.jks"), new byte[] {1});
        assertEquals("defaults: key 'kafka.security.ssl.keystorePassword' must be set with a JKS or PKCS12 keystore "
                + "(use OW_KAFKA_SECURITY_SSL_KEYSTORE_PASSWORD)", loadError(null, Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SSL",
                "OW_KAFKA_SECURITY_SSL_KEYSTORE_LOCATION", jks.toString())));
        assertEquals("environment variable OW_KAFKA_SECURITY_SSL_KEY_PASSWORD (key 'kafka.security.ssl.keyPassword') is set, but "
                + "kafka.security.ssl.keystoreLocation is empty", loadError(null, Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SSL",
                "OW_KAFKA_SECURITY_SSL_KEY_PASSWORD", "k")));
    }

    @Test
    void tlsWithoutATruststoreTrustsWhatTheJvmTrusts() {
        Map<String, Object> settings = KafkaClients.settings(kafka(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SSL")));
        assertEquals(Map.of("bootstrap.servers", "kafka-1:9093,kafka-2:9093", "security.protocol", "SSL",
                "ssl.endpoint.identification.algorithm", "https"), settings);
    }

    private static AppConfigurationEntry login(Map<String, Object> settings) {
        assertInstanceOf(Password.class, settings.get("sasl.jaas.config"), "given as a password, so Kafka never prints it");
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(settings).configurationEntries();
        assertEquals(1, entries.size());
        return entries.get(0);
    }
}
