package org.opinionwatch.notifier.channel;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.config.OpinionWatchConfig.Person;
import org.opinionwatch.notifier.render.MailBody;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus): always encrypted (STARTTLS, required, or SSL), always
 * authenticated, the server's certificate checked against its name; one message per notification to the channel's
 * fixed addresses and the e-mail of each person on duty, with a UTF-8 subject and two parts, text and HTML. A server
 * that refuses for good (5xx, a wrong password) refuses the message; a 4xx, a timeout or a lost connection is retried.
 */
public final class EmailChannel implements Channel {
    private final String name;
    private final OpinionWatchConfig.Channel settings;
    private final Session session;
    private final int port;
    private final Pace pace;

    public EmailChannel(String name, OpinionWatchConfig.Channel settings, Duration timeout, Pace pace) {
        this.name = name;
        this.settings = settings;
        this.pace = pace;
        boolean ssl = "SSL".equals(settings.security());
        this.port = settings.port() != 0 ? settings.port() : ssl ? 465 : 587;
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.auth", "true");
        if (ssl) {
            p.put("mail.smtp.ssl.enable", "true");
        } else {
            // Required: a server (or something in the way) that does not offer STARTTLS gets no password in the clear.
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        String millis = Long.toString(timeout.toMillis());
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        if (settings.truststore() != null && !settings.truststore().isEmpty()) {
            p.put("mail.smtp.ssl.socketFactory", trusting(Path.of(settings.truststore())).getSocketFactory());
        }
        this.session = Session.getInstance(p);
    }

    /** TLS that trusts the CA certificates of a PEM file (a school's own CA), and no others. */
    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the certificates of " + pem + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public String shown() {
        return "smtp://" + settings.host() + ":" + port;
    }

    @Override
    public Pace pace() {
        return pace;
    }

    /** The channel's addresses, then those of the people on duty, each once. */
    List<String> recipients(Message message) {
        Set<String> to = new LinkedHashSet<>(settings.to());
        for (Person p : message.audience().persons()) {
            if (p.email() != null && !p.email().isBlank()) {
                to.add(p.email().strip());
            }
        }
        return new ArrayList<>(to);
    }

    @Override
    public String unreachable(Message message) {
        return recipients(message).isEmpty() ? "no address: the channel has no 'to' and nobody on duty has an e-mail" : null;
    }

    @Override
    public Attempt send(Message message) throws InterruptedException {
        long started = System.nanoTime();
        try {
            MimeMessage mail = new MimeMessage(session);
            InternetAddress from = new InternetAddress(settings.from(), true);
            if (from.getPersonal() != null) {
                from.setPersonal(from.getPersonal(), "UTF-8"); // 舆情监测 encoded as RFC 2047 words, not raw bytes
            }
            mail.setFrom(from);
            for (String address : recipients(message)) {
                mail.addRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(address, true));
            }
            mail.setSubject(MailBody.subject(message), "UTF-8");
            mail.setSentDate(new Date());
            // The notification's deterministic id: a mail system or a person can tell a second delivery from a new one.
            mail.setHeader("X-OpinionWatch-Id", message.notification().id());
            MimeBodyPart text = new MimeBodyPart();
            text.setText(MailBody.text(message), "UTF-8", "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(MailBody.html(message), "UTF-8", "html");
            mail.setContent(new MimeMultipart("alternative", text, html));
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(settings.host(), port, settings.username(), settings.password());
                transport.sendMessage(mail, mail.getAllRecipients());
            }
            return new Attempt(Attempt.Kind.DELIVERED, 250, Attempt.DELIVERED_RESULT, null, null, since(started));
        } catch (java.io.UnsupportedEncodingException | AddressException e) {
            return new Attempt(Attempt.Kind.REFUSED, null, "refused", "invalid address: " + e.getMessage(), null, since(started));
        } catch (AuthenticationFailedException e) {
            return new Attempt(Attempt.Kind.REFUSED, 535, "refused", "the server refused the login of " + settings.username()
                    + " (check OW_NOTIFIER_CHANNELS_" + envPart(name) + "_PASSWORD): " + oneLine(e.getMessage()), null, since(started));
        } catch (SMTPAddressFailedException e) {
            return smtp(e.getReturnCode(), "address " + e.getAddress() + ": " + oneLine(e.getMessage()), started);
        } catch (SMTPSendFailedException e) {
            return smtp(e.getReturnCode(), oneLine(e.getMessage()), started);
        } catch (MessagingException e) {
            return failed(e, started);
        }
    }

    /** A reply code of the server: 4xx is worth another attempt, 5xx is a refusal. */
    private static Attempt smtp(int code, String said, long started) {
        if (code >= 500) {
            return new Attempt(Attempt.Kind.REFUSED, code, "refused", "SMTP " + code + ": " + said, null, since(started));
        }
        return new Attempt(Attempt.Kind.FAILED, code, "smtp-4xx", "SMTP " + code + ": " + said, null, since(started));
    }

    private static Attempt failed(MessagingException e, long started) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return new Attempt(Attempt.Kind.FAILED, null, "timeout", oneLine(cause.toString()), null, since(started));
            }
            if (cause instanceof ConnectException) {
                return new Attempt(Attempt.Kind.FAILED, null, "connect", "cannot connect: " + oneLine(cause.toString()), null, since(started));
            }
        }
        // A dropped connection, a TLS handshake that failed, a server that went away: worth another attempt.
        return new Attempt(Attempt.Kind.FAILED, null, "io", oneLine(e.toString()), null, since(started));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    private static String envPart(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public String toString() {
        return name + " (email " + shown() + ")";
    }
}
