package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.notifier.Notifier;
import org.opinionwatch.notifier.WebhookReceiver;
import org.opinionwatch.notifier.fake.ChatServices;
import org.opinionwatch.notifier.fake.MailServer;

/**
 * The bundled sample replayed, and its notifications delivered by the notifier through every kind of channel to
 * loopback fakes of the services: the office's WeCom group and mailbox (with the one on duty mentioned and mailed),
 * the leadership group's DingTalk group, the department of the sample's subject on Feishu, the spokesperson's signed
 * webhook. Each channel receives exactly the notifications routed to it, each in Chinese, each naming its story.
 */
class ChannelsReplayTest {
    /** The frame's story line as each channel writes it: Markdown {@code 原帖：[title](url)}, or e-mail {@code 原帖：title url}. */
    private static final Pattern STORY = Pattern.compile("原帖：\\[(.+?)]\\((https://weibo\\.com/\\d+/\\w+)\\)|原帖：(.+) (https://weibo\\.com/\\d+/\\w+)");
    private static final String SECRETS = "0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void theSamplesNotificationsReachEveryChannelInChineseEachNamingItsStory() throws Exception {
        try (ChatServices chat = new ChatServices().wecom("office-key", 100_000).dingtalk("leaders-token", "SEC" + SECRETS, 100_000)
                .feishu("academic-hook", "feishu-" + SECRETS, 100_000, 5);
             MailServer mail = new MailServer(dir);
             WebhookReceiver hook = new WebhookReceiver().on("/spokesperson", (id, body, n) -> WebhookReceiver.Answer.ok())) {
            OpinionWatchConfig config = config(chat, mail, hook);
            Replay.Result replay;
            try (StageMetrics metrics = StageMetrics.start(config, false)) {
                replay = Replay.run(config, ArchiveFormat.WEIBO_CED, Path.of("..", "samples", "weibo-ced"), metrics, r -> { });
            }
            List<Notification> notifications = replay.events().stream().filter(e -> e.topic().equals("notifications"))
                    .map(e -> Topics.NOTIFICATION.parse(e.event().toString())).toList();
            // Where each role's notifications go, by this test's config (the sample's one subject is "all": 教务处).
            Map<String, List<Notification>> routed = new TreeMap<>();
            Map<Role, List<String>> channelsOf = Map.of(Role.OFFICE, List.of("officeWecom", "officeMail"), Role.LEADERSHIP_GROUP,
                    List.of("leadersDing"), Role.DEPARTMENT, List.of("academicFeishu"), Role.SPOKESPERSON, List.of("webhooks.SPOKESPERSON"));
            for (Notification n : notifications) {
                channelsOf.getOrDefault(n.role(), List.of()).forEach(c -> routed.computeIfAbsent(c, k -> new ArrayList<>()).add(n));
            }
            assertTrue(routed.keySet().containsAll(List.of("officeWecom", "officeMail", "leadersDing", "academicFeishu", "webhooks.SPOKESPERSON")),
                    "the sample reaches every role that has a channel: " + routed.keySet());

            List<Delivery> deliveries;
            try (Notifier notifier = Notifier.start(config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
                deliveries = awaitDeliveries(config, routed.values().stream().mapToInt(List::size).sum()
                        + (int) notifications.stream().filter(n -> n.role() == Role.SUPERIOR_AUTHORITY).count());
                assertTrue(notifier.isRunning());
            }
            Map<String, Long> delivered = deliveries.stream().filter(d -> d.outcome() == Delivery.Outcome.DELIVERED)
                    .collect(Collectors.groupingBy(Delivery::channel, TreeMap::new, Collectors.counting()));
            Map<String, Long> expected = new TreeMap<>();
            routed.forEach((channel, list) -> expected.put(channel, (long) list.size()));
            assertEquals(expected, delivered, "one delivery per notification routed to each channel");
            assertEquals(List.of(), deliveries.stream().filter(d -> d.outcome() == Delivery.Outcome.REFUSED).toList(), "nothing refused");

            // What each service received: as many messages as notifications routed there, the same stories as often.
            List<String> office = chat.taken("wecom", "office-key").stream().map(ChatServices.Received::text).toList();
            assertMessages("officeWecom", routed, office);
            assertTrue(office.stream().allMatch(t -> t.contains("请 张老师 处理 <@zhangsan>")), "the one on duty is asked, and mentioned");
            assertTrue(office.stream().anyMatch(t -> t.contains("[已转交](https://ow.example.edu/links/")), "with links to record the triage");
            assertMessages("leadersDing", routed, chat.taken("dingtalk", "leaders-token").stream().map(ChatServices.Received::text).toList());
            assertMessages("academicFeishu", routed, chat.taken("feishu", "academic-hook").stream().map(ChatServices.Received::text).toList());
            Map<String, List<MailServer.Received>> mails = mail.received().stream()
                    .collect(Collectors.groupingBy(r -> header(r, "X-OpinionWatch-Id"), TreeMap::new, Collectors.toList()));
            List<String> mailTexts = new ArrayList<>();
            for (List<MailServer.Received> copies : mails.values()) {
                assertEquals(List.of("yqb@example.edu", "zhang@example.edu"), copies.stream().map(MailServer.Received::to).toList(),
                        "the office's mailbox and the one on duty");
                MailServer.Received first = copies.get(0);
                jakarta.mail.Multipart parts = (jakarta.mail.Multipart) first.message().getContent();
                String text = (String) parts.getBodyPart(0).getContent();
                assertTrue(cjk(first.message().getSubject()) >= 4, "a Chinese subject: " + first.message().getSubject());
                mailTexts.add(text);
            }
            assertMessages("officeMail", routed, mailTexts);
            List<WebhookReceiver.Received> hooks = hook.received().stream().filter(r -> r.answered() == 200).toList();
            assertEquals(routed.get("webhooks.SPOKESPERSON").stream().map(Notification::id).sorted().toList(),
                    hooks.stream().map(WebhookReceiver.Received::id).sorted().toList(), "the webhook gets each notification as on the topic");
            System.out.printf("channels replay: %d notifications; messages %s%n", notifications.size(), expected);
        }
    }

    /**
     * The messages of a channel against the notifications routed to it: as many, each mostly Chinese, and for those
     * about one story, the story's title and link in the frame's story line as often as there are notifications of it.
     */
    private static void assertMessages(String channel, Map<String, List<Notification>> routed, List<String> texts) {
        List<Notification> sent = routed.get(channel);
        assertEquals(sent.size(), texts.size(), channel + ": one message per notification");
        Map<String, Long> expectedStories = sent.stream().filter(n -> n.rootPost() != null)
                .collect(Collectors.groupingBy(n -> n.rootPost().url() + " " + plain(n.rootPost().title()), TreeMap::new, Collectors.counting()));
        Map<String, Long> stories = new TreeMap<>();
        for (String text : texts) {
            assertTrue(text != null && cjk(text) >= 20, channel + ": in Chinese: " + text);
            Matcher m = STORY.matcher(text);
            if (m.find()) {
                String url = m.group(2) != null ? m.group(2) : m.group(4);
                String title = m.group(1) != null ? m.group(1) : m.group(3);
                stories.merge(url + " " + plain(title), 1L, Long::sum);
            }
        }
        assertTrue(expectedStories.size() >= 5, channel + " hears of several stories: " + expectedStories.keySet());
        assertEquals(expectedStories, stories, channel + ": each story's title and link, once per notification about it");
    }

    /** A title as a person reads it, whatever a channel defused (full-width brackets, #) or escaped. */
    private static String plain(String title) {
        Function<String, String> back = s -> s.replace('＜', '<').replace('＞', '>').replace('［', '[').replace('］', ']').replace('＊', '*')
                .replace('＿', '_').replace('｀', '`').replace('＃', '#').replace('\n', ' ').strip();
        return back.apply(title == null || title.isBlank() ? "（无标题）" : title);
    }

    private static long cjk(String text) {
        return text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count();
    }

    private static String header(MailServer.Received r, String name) {
        try {
            return r.message().getHeader(name)[0];
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OpinionWatchConfig config(ChatServices chat, MailServer mail, WebhookReceiver hook) throws Exception {
        Path file = dir.resolve("channels.yaml");
        Files.writeString(file, """
                notifier:
                  channels:
                    officeWecom: { type: wecom, url: "%s", perMinute: 100000 }
                    officeMail: { type: email, host: localhost, port: %d, username: "%s", from: "舆情监测 <ow@example.edu>", to: [yqb@example.edu], truststore: "%s" }
                    leadersDing: { type: dingtalk, url: "%s", perMinute: 100000 }
                    academicFeishu: { type: feishu, url: "%s", perMinute: 100000 }
                  webhooks:
                    SPOKESPERSON: { url: "%s" }
                  people:
                    zhang: { name: 张老师, email: zhang@example.edu, mobile: "13800000001", wecomUserId: zhangsan }
                  roles:
                    OFFICE: { channels: [officeWecom, officeMail], roster: [ { people: [zhang] } ] }
                    LEADERSHIP_GROUP: { channels: [leadersDing] }
                  departments:
                    academic: { name: 教务处, subjects: [all], channels: [academicFeishu] }
                  timeout: PT10S
                  initialBackoff: PT0.05S
                  maxBackoff: PT1S
                  metricsPort: 0
                escalation:
                  actions:
                    links: { baseUrl: "https://ow.example.edu" }
                """.formatted(chat.url("wecom"), mail.port(), MailServer.USER, mail.truststore(), chat.url("dingtalk"), chat.url("feishu"),
                hook.uri("/spokesperson")));
        Map<String, String> env = new HashMap<>();
        env.put("OW_NOTIFIER_CHANNELS_OFFICE_WECOM_TOKEN", "office-key");
        env.put("OW_NOTIFIER_CHANNELS_OFFICE_MAIL_PASSWORD", MailServer.PASSWORD);
        env.put("OW_NOTIFIER_CHANNELS_LEADERS_DING_TOKEN", "leaders-token");
        env.put("OW_NOTIFIER_CHANNELS_LEADERS_DING_SECRET", "SEC" + SECRETS);
        env.put("OW_NOTIFIER_CHANNELS_ACADEMIC_FEISHU_TOKEN", "academic-hook");
        env.put("OW_NOTIFIER_CHANNELS_ACADEMIC_FEISHU_SECRET", "feishu-" + SECRETS);
        env.put("OW_NOTIFIER_WEBHOOKS_SPOKESPERSON_SECRET", "spokesperson-" + SECRETS);
        env.put("OW_ESCALATION_ACTIONS_LINKS_SECRET", "links-" + SECRETS + SECRETS);
        return ConfigLoader.load(file, env).withOffice(OpinionWatchConfig.SimulatedOffice.ON_TIME)
                .inNamespace("channels-" + System.nanoTime() + ".").withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
    }

    /** The delivery records, once there are {@code count} of them (each channel's outcome, and the skipped ones). */
    private static List<Delivery> awaitDeliveries(OpinionWatchConfig config, int count) {
        String topic = config.topicNames().deliveries().name();
        List<Delivery> read = new ArrayList<>();
        try (KafkaConsumer<String, Delivery> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers()), new StringDeserializer(), Topics.DELIVERY)) {
            consumer.assign(consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (read.size() < count) {
                assertTrue(System.nanoTime() < deadline, "only " + read.size() + " of " + count + " delivery records within 5 minutes");
                for (ConsumerRecord<String, Delivery> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record.value());
                }
            }
        }
        return read;
    }
}
