package org.opinionwatch.notifier.fake;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A real SMTP server on 127.0.0.1 (SubEthaSMTP) that, like a school's mail server, offers STARTTLS and requires it,
 * requires AUTH with one account, and keeps every message it takes. Its certificate names localhost and 127.0.0.1,
 * made for the test with the JDK's keytool; {@link #truststore()} is it as PEM, for the channel's {@code truststore}.
 */
public final class MailServer implements AutoCloseable {
    /** A message as received: who sent it to whom, and its parsed MIME. */
    public record Received(String from, String to, MimeMessage message) {
    }

    public static final String USER = "ow@example.edu";
    public static final String PASSWORD = "mail-password-0123";

    private final SMTPServer server;
    private final Path truststore;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** @param parent a directory where it makes one of its own for its key and certificate */
    public MailServer(Path parent) throws Exception {
        Path dir = Files.createTempDirectory(parent, "smtp");
        Path keystore = dir.resolve("smtp.p12");
        truststore = dir.resolve("smtp-ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "smtp", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", truststore.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(factory.getKeyManagers(), null, null);
        Session parser = Session.getInstance(new Properties());
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .enableTLS()
                .requireTLS()
                .startTlsSocketFactory(tls)
                .requireAuth()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    if (!USER.equals(user) || !PASSWORD.equals(password)) {
                        throw new LoginFailedException("535 5.7.8 Authentication credentials invalid");
                    }
                }))
                .simpleMessageListener(new org.subethamail.smtp.helper.SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        try {
                            received.add(new Received(from, recipient, new MimeMessage(parser, new ByteArrayInputStream(data.readAllBytes()))));
                        } catch (jakarta.mail.MessagingException e) {
                            throw new IOException(e);
                        }
                    }
                })
                .build();
        server.start();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output);
        }
    }

    public int port() {
        return server.getPortAllocated();
    }

    /** The server's certificate as PEM. */
    public Path truststore() {
        return truststore;
    }

    /** Every message taken, one per recipient, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop();
    }
}
