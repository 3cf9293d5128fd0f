package org.opinionwatch.notifier.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.notifier.Fixtures;
import org.opinionwatch.notifier.fake.MailServer;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/** The e-mail channel against a real SMTP server on loopback that requires STARTTLS and AUTH. */
class EmailChannelTest {
    @TempDir
    static Path dir;

    private MailServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private EmailChannel channel(String password, String truststore, List<String> to) {
        OpinionWatchConfig.Channel settings = new OpinionWatchConfig.Channel("email", null, null, null, "localhost", server.port(), "STARTTLS",
                MailServer.USER, password, "舆情监测 <ow@example.edu>", to, truststore, 0);
        return new EmailChannel("officeMail", settings, Duration.ofSeconds(10), Pace.none());
    }

    @Test
    void aMultipartUtf8MessageToTheOfficeAndTheOneOnDutyOverStartTlsWithAuthentication() throws Exception {
        server = new MailServer(dir);
        Message message = Fixtures.withLinks(Fixtures.triage("n-1"), Fixtures.ZHANG);
        Attempt attempt = channel(MailServer.PASSWORD, server.truststore().toString(), List.of("yqb@example.edu")).send(message);
        assertEquals(Attempt.Kind.DELIVERED, attempt.kind(), attempt.reason());

        List<MailServer.Received> received = server.received();
        assertEquals(List.of("yqb@example.edu", "zhang@example.edu"), received.stream().map(MailServer.Received::to).toList());
        MimeMessage mail = received.get(0).message();
        assertEquals("【一般舆情】「" + Fixtures.TITLE + "」", mail.getSubject());
        assertTrue(mail.getHeader("Subject")[0].startsWith("=?UTF-8?"), "an encoded UTF-8 subject: " + mail.getHeader("Subject")[0]);
        assertEquals("n-1", mail.getHeader("X-OpinionWatch-Id")[0]);
        assertEquals("舆情监测", ((jakarta.mail.internet.InternetAddress) mail.getFrom()[0]).getPersonal());
        assertTrue(mail.getHeader("From")[0].startsWith("=?UTF-8?"), mail.getHeader("From")[0]);
        Multipart parts = (Multipart) mail.getContent();
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        assertEquals(2, parts.getCount());
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(parts.getBodyPart(0).getContentType().startsWith("text/plain; charset=UTF-8"), parts.getBodyPart(0).getContentType());
        assertTrue(parts.getBodyPart(1).getContentType().startsWith("text/html; charset=UTF-8"), parts.getBodyPart(1).getContentType());
        for (String part : List.of(text, html)) {
            assertTrue(part.contains(Fixtures.TITLE) && part.contains(Fixtures.URL) && part.contains("https://ow.example.edu/links/abc.def")
                    && part.contains("请 张老师 处理") && part.contains("研判并转交责任部门"), part);
        }
        assertTrue(html.contains("<a href=\"https://ow.example.edu/links/abc.def\""), html);
    }

    @Test
    void aWrongPasswordIsRefusedNamingItsVariableAndAnUntrustedServerIsNotGivenThePassword() throws Exception {
        server = new MailServer(dir);
        Message message = Fixtures.message(Fixtures.triage("n-2"), Fixtures.ZHANG);
        Attempt wrong = channel("not-the-password", server.truststore().toString(), List.of()).send(message);
        assertEquals(Attempt.Kind.REFUSED, wrong.kind(), wrong.reason());
        assertTrue(wrong.reason().contains("OW_NOTIFIER_CHANNELS_OFFICE_MAIL_PASSWORD"), wrong.reason());

        Attempt untrusted = channel(MailServer.PASSWORD, "", List.of()).send(message);
        assertEquals(Attempt.Kind.FAILED, untrusted.kind(), "a certificate the JVM does not trust: retried, never sent in the clear");
        assertEquals(List.of(), server.received());
    }

    @Test
    void nobodyToWriteToIsSaidBeforeAnythingIsSent() throws Exception {
        server = new MailServer(dir);
        Message toNobody = Fixtures.message(Fixtures.triage("n-3"));
        assertEquals("no address: the channel has no 'to' and nobody on duty has an e-mail",
                channel(MailServer.PASSWORD, server.truststore().toString(), List.of()).unreachable(toNobody));
    }
}
