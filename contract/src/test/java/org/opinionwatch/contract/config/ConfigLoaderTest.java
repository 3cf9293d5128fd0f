package org.opinionwatch.contract.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.event.Role;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("ow.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aFileOfCommentsOnlyOverridesNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("comments.yaml"), "# nothing set here yet\n# kafka: { partitions: 6 }\n");
        assertEquals(ConfigLoader.load(null, Map.of()), ConfigLoader.load(file, Map.of()));
    }

    @Test
    void aKeyIsSetByTheFileOrTheEnvironmentNotByTheDefaults() throws IOException {
        Path file = Files.writeString(dir.resolve("cluster.yaml"), "kafka:\n  bootstrapServers: kafka:9092\n");
        Path other = Files.writeString(dir.resolve("other.yaml"), "kafka:\n  partitions: 6\n");
        assertTrue(ConfigLoader.isSet(file, Map.of(), "kafka.bootstrapServers"));
        assertTrue(ConfigLoader.isSet(null, Map.of("OW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"), "kafka.bootstrapServers"));
        assertEquals(false, ConfigLoader.isSet(other, Map.of(), "kafka.bootstrapServers"));
        assertEquals(false, ConfigLoader.isSet(null, Map.of(), "kafka.bootstrapServers"));
    }

    @Test
    void defaultsAreThePlans() {
        OpinionWatchConfig c = ConfigLoader.load(null, Map.of());
        assertEquals(Duration.ofHours(24), c.classifier().window());
        assertEquals(100, c.classifier().thresholds().major().comments());
        assertEquals(500, c.classifier().thresholds().critical().comments());
        assertEquals(Duration.ofHours(2), c.escalation().forwardWithin());
        assertEquals("posts.raw", c.topicNames().postsRaw().name());
    }

    @Test
    void ingestLimitsAndDeliveryHaveDefaultsAndAreValidated() throws IOException {
        var ingest = ConfigLoader.load(null, Map.of()).ingest();
        assertEquals(java.time.Instant.parse("2000-01-01T00:00:00Z"), ingest.limits().earliest());
        assertEquals(Duration.ofMinutes(5), ingest.limits().maxSkew());
        assertEquals(64 * 1024 * 1024, ingest.delivery().maxBufferedBytes());
        assertEquals(Duration.ofMinutes(2), ingest.delivery().timeout());
        assertEquals(Duration.ofSeconds(3), ConfigLoader.load(null, Map.of("OW_INGEST_DELIVERY_TIMEOUT", "PT3S")).ingest().delivery().timeout());

        Path file = write("ingest:\n  limits: { earliest: \"2999-01-01T00:00:00Z\", maxSkew: PT2H }\n"
                + "  delivery: { maxBufferedBytes: 1000, timeout: PT0.5S }\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        for (String expected : List.of("key 'ingest.limits.earliest' must be an instant in the past",
                "key 'ingest.limits.maxSkew' must be a duration from PT0S to PT1H",
                "key 'ingest.delivery.maxBufferedBytes' must be at least 1048576",
                "key 'ingest.delivery.timeout' must be a duration of at least PT1S")) {
            assertTrue(e.getMessage().contains(file + ": " + expected), e.getMessage());
        }
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesBoth() throws IOException {
        Path file = write("kafka:\n  partitions: 6\n  bootstrapServers: a:9092\nclassifier:\n  thresholds:\n    major: {views: 1000, comments: 200, outlets: 1}\n");
        OpinionWatchConfig c = ConfigLoader.load(file, Map.of("OW_KAFKA_BOOTSTRAP_SERVERS", "b:9092", "OW_TOPICS_PREFIX", "replay-1."));
        assertEquals(6, c.kafka().partitions());
        assertEquals(200, c.classifier().thresholds().major().comments());
        assertEquals(500, c.classifier().thresholds().critical().comments(), "untouched keys keep their defaults");
        assertEquals("b:9092", c.kafka().bootstrapServers());
        assertEquals("replay-1.posts.raw", c.topicNames().postsRaw().name());
    }

    @Test
    void unknownKeyNamesTheKeyAndTheFile() throws IOException {
        Path file = write("classifier:\n  windw: PT1H\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertEquals(file + ": unknown key 'classifier.windw'", e.getMessage());
    }

    @Test
    void badValueNamesTheKeyAndTheFile() throws IOException {
        Path file = write("classifier:\n  window: tomorrow\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith(file + ": key 'classifier.window'"), e.getMessage());
    }

    @Test
    void invalidSettingsAreAllReportedWithTheirKeys() throws IOException {
        Path file = write("kafka:\n  partitions: 0\nclassifier:\n  subjects:\n    - id: exams\n      keywords: []\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains(file + ": key 'kafka.partitions' must be at least 1"), e.getMessage());
        assertTrue(e.getMessage().contains(file + ": key 'classifier.subjects[0].keywords' needs at least one keyword"), e.getMessage());
        Path groups = write("classifier:\n  subjects:\n    - { id: food, allOf: [[食堂, 餐厅], [中毒, 腹泻]] }\n    - { id: odd, allOf: [[]] }\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(groups, Map.of())).getMessage();
        assertTrue(message.contains(groups + ": key 'classifier.subjects[1].allOf[0]' needs at least one word"), message);
        assertTrue(!message.contains("subjects[0]"), "a subject of all-of groups alone is fine: " + message);
    }

    @Test
    void theStreamsStateDirectoryIsAPersistentAbsolutePath() throws IOException {
        assertEquals("/var/lib/opinion-watch/streams", ConfigLoader.load(null, Map.of()).streams().stateDir());
        assertEquals("/data/streams", ConfigLoader.load(null, Map.of("OW_STREAMS_STATE_DIR", "/data/streams")).streams().stateDir());
        Path relative = write("streams:\n  stateDir: state\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(relative, Map.of())).getMessage();
        assertEquals(relative + ": key 'streams.stateDir' must be an absolute path such as /var/lib/opinion-watch/streams", message);
        String empty = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("OW_STREAMS_STATE_DIR", " "))).getMessage();
        assertTrue(empty.startsWith("environment variable OW_STREAMS_STATE_DIR (key 'streams.stateDir') must be an absolute path"), empty);
    }

    @Test
    void theStreamsCommitIntervalDefaultsToKafkaStreamsOwnAndStaysBelowTheTransactionTimeout() throws IOException {
        assertEquals(Duration.ofMillis(100), ConfigLoader.load(null, Map.of()).streams().commitInterval());
        assertEquals(Duration.ofSeconds(2), ConfigLoader.load(null, Map.of("OW_STREAMS_COMMIT_INTERVAL", "PT2S")).streams().commitInterval());
        for (String bad : List.of("PT10S", "PT0S")) {
            Path file = write("streams:\n  commitInterval: " + bad + "\n");
            assertEquals(file + ": key 'streams.commitInterval' must be a positive duration below PT10S",
                    assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).getMessage());
        }
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "many")));
        assertTrue(e.getMessage().startsWith("environment variable OW_KAFKA_PARTITIONS (key 'kafka.partitions')"), e.getMessage());
    }

    @Test
    void sourcesAreReadAndEachMistakeNamesItsKey() throws IOException {
        Path good = write("ingest:\n  sources:\n"
                + "    - { id: school-bbs, type: forum, engine: discuz, url: \"https://bbs.example.edu/forum.php?fid=2\", pollEvery: PT5M }\n"
                + "    - { id: news, type: feed, url: \"https://news.example.cn/rss.xml\", mainstream: true, pollEvery: PT10M }\n");
        var sources = ConfigLoader.load(good, Map.of()).ingest().sources();
        assertEquals(2, sources.size());
        assertEquals(30, sources.get(0).recentThreads(), "default");
        assertTrue(sources.get(1).mainstream());

        Path bad = write("ingest:\n  push: { enabled: true }\n  sources:\n"
                + "    - { id: a, type: forum, engine: vbulletin, url: \"ftp://x/\", pollEvery: PT5M }\n"
                + "    - { id: a, type: feed, url: \"https://x/\", pollEvery: PT0S, zone: Mars/Olympus }\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad, Map.of())).getMessage();
        for (String expected : List.of("key 'ingest.sources[0].engine' must be discuz, phpbb or custom",
                "key 'ingest.sources[0].url' must be an absolute http or https URL",
                "key 'ingest.sources[1].id' 'a' is used twice",
                "key 'ingest.sources[1].pollEvery' must be a positive duration",
                "key 'ingest.sources[1].zone' is not a time zone: Mars/Olympus",
                "key 'ingest.push.token' must be set")) {
            assertTrue(message.contains(bad + ": " + expected), expected + " in:\n" + message);
        }
    }

    @Test
    void lexiconMappingsAreFreeForm() throws IOException {
        Path file = write("classifier:\n  categories:\n    inquiry: [请问, 咨询]\n");
        assertEquals(Map.of("inquiry", List.of("请问", "咨询")), ConfigLoader.load(file, Map.of()).classifier().categories());
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(e.getMessage().endsWith("nope.yaml: no such config file"), e.getMessage());
    }

    @Test
    void rulesFileChangesOnlyRulesAndIsValidatedLikeTheConfig() throws IOException {
        OpinionWatchConfig base = ConfigLoader.load(write("classifier:\n  hysteresis: { margin: 0.3, coolDown: PT2H }\n"), Map.of());
        Path rules = write("thresholds:\n  major: {views: 500, comments: 50, outlets: 1}\ngrouping: { similarity: 0.6 }\n");
        OpinionWatchConfig.Rules r = ConfigLoader.loadRules(rules, base);
        assertEquals(50, r.thresholds().major().comments());
        assertEquals(3000, r.thresholds().critical().views(), "what the file leaves out stays as configured");
        assertEquals(0.6, r.grouping().similarity());
        assertEquals(Duration.ofHours(2), r.hysteresis().coolDown());

        ConfigException notARule = assertThrows(ConfigException.class, () -> ConfigLoader.loadRules(write("window: PT1H\n"), base));
        assertTrue(notARule.getMessage().contains("key 'window' is not a rule"), notARule.getMessage());
        Path below = write("thresholds:\n  critical: {views: 10, comments: 10, outlets: 1}\n");
        ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.loadRules(below, base));
        assertTrue(bad.getMessage().contains(below + ": key 'thresholds.critical'"), bad.getMessage());
        Path typo = write("thresholds:\n  major: {views: lots, comments: 10, outlets: 1}\n");
        ConfigException typed = assertThrows(ConfigException.class, () -> ConfigLoader.loadRules(typo, base));
        assertTrue(typed.getMessage().contains(typo + ": key 'thresholds.major.views'"), typed.getMessage());
    }

    @Test
    void noWebhookByDefaultAndEachWebhookTakesItsSecretFromTheEnvironment() throws IOException {
        OpinionWatchConfig defaults = ConfigLoader.load(null, Map.of());
        assertEquals(Map.of(), defaults.notifier().webhooks());
        assertEquals("replay-1.opinion-watch-notifier", defaults.inNamespace("replay-1.").notifier().groupId());

        Path file = write("notifier:\n  webhooks:\n    OFFICE: { url: \"https://hooks.example.edu/office\" }\n"
                + "    LEADERSHIP_GROUP: { url: \"http://10.0.0.5:8080/lg\", secret: in-the-file-0123456789 }\n");
        OpinionWatchConfig c = ConfigLoader.load(file, Map.of("OW_NOTIFIER_WEBHOOKS_OFFICE_SECRET", "from-the-environment-0123"));
        assertEquals(new OpinionWatchConfig.Webhook("https://hooks.example.edu/office", "from-the-environment-0123"),
                c.notifier().webhooks().get(Role.OFFICE));
        assertEquals("in-the-file-0123456789", c.notifier().webhooks().get(Role.LEADERSHIP_GROUP).secret());
        assertEquals("", ConfigLoader.load(file, Map.of()).notifier().webhooks().get(Role.OFFICE).secret(),
                "no secret is a mistake the notifier reports when it starts; the other stages need none");
        assertTrue(!c.notifier().webhooks().get(Role.OFFICE).toString().contains("from-the-environment"), "a printed config hides secrets");
    }

    @Test
    void notifierMistakesNameTheirKeys() throws IOException {
        Path file = write("notifier:\n  webhooks:\n    OFFICE: { url: \"ftp://hooks.example.edu/office\" }\n    DEPARTMENT: { url: \"\" }\n"
                + "  timeout: PT0S\n  initialBackoff: PT10S\n  maxBackoff: PT1S\n  maxPending: 0\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).getMessage();
        for (String expected : List.of("key 'notifier.webhooks.OFFICE.url' must be an absolute http or https URL",
                "key 'notifier.webhooks.DEPARTMENT.url' must be an absolute http or https URL", "key 'notifier.timeout' must be a positive duration",
                "key 'notifier.maxBackoff' must be a positive duration no shorter than notifier.initialBackoff",
                "key 'notifier.maxPending' must be at least 1")) {
            assertTrue(message.contains(file + ": " + expected), message);
        }
        Path unknownRole = write("notifier:\n  webhooks:\n    PRESS: { url: \"https://hooks.example.edu/press\" }\n");
        String role = assertThrows(ConfigException.class, () -> ConfigLoader.load(unknownRole, Map.of())).getMessage();
        assertTrue(role.startsWith(unknownRole + ": key 'notifier.webhooks"), role);
        assertTrue(role.contains("PRESS"), role);
        Path typo = write("notifier:\n  webhooks:\n    OFFICE: { uri: \"https://hooks.example.edu/office\" }\n");
        String key = assertThrows(ConfigException.class, () -> ConfigLoader.load(typo, Map.of())).getMessage();
        assertTrue(key.contains("notifier.webhooks.OFFICE.uri"), key);
    }

    @Test
    void thePlansSettingsAreCheckedAndNamedByTheirKeys() throws IOException {
        Path file = write("escalation:\n  locale: fr\n  bulletins: { every: PT7H }\n  relapse: { level: NONE }\n"
                + "  roles:\n    OFFICE: { quietHours: { from: \"22:00\", to: null } }\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).getMessage();
        assertTrue(message.contains("key 'escalation.locale' must be zh-CN or en"), message);
        assertTrue(message.contains("key 'escalation.bulletins.every' must be a period that divides a day"), message);
        assertTrue(message.contains("key 'escalation.relapse.level' must be MINOR, GENERAL, MAJOR or CRITICAL"), message);
        assertTrue(message.contains("key 'escalation.roles.OFFICE.quietHours' needs from and to"), message);
        OpinionWatchConfig.Escalation defaults = ConfigLoader.load(null, Map.of()).escalation();
        assertEquals(OpinionWatchConfig.SimulatedOffice.ABSENT, defaults.office());
        assertEquals(OpinionWatchConfig.Link.DECIDE, defaults.reporting().of(org.opinionwatch.contract.event.Level.MAJOR).superiorAuthority());
        assertEquals(java.time.LocalTime.of(22, 0), defaults.roles().get(org.opinionwatch.contract.event.Role.OFFICE).quietHours().from());
    }

    @Test
    void channelsRostersAndDepartmentsLoadWithTheirSecretsFromTheEnvironment() throws IOException {
        Path file = write("""
                notifier:
                  channels:
                    officeWecom: { type: wecom }
                    officeMail: { type: email, host: smtp.example.edu, username: ow@example.edu, from: "舆情监测 <ow@example.edu>", to: [yqb@example.edu] }
                  people:
                    zhang: { name: 张老师, email: zhang@example.edu, mobile: "13800000000" }
                  roles:
                    OFFICE:
                      channels: [officeWecom, officeMail]
                      roster:
                        - { people: [zhang], days: [MONDAY, FRIDAY], from: "08:00", to: "18:00" }
                  departments:
                    logistics: { name: 后勤处, subjects: [canteen], channels: [officeWecom] }
                escalation:
                  actions:
                    links: { baseUrl: "https://ow.example.edu" }
                """);
        OpinionWatchConfig c = ConfigLoader.load(file, Map.of("OW_NOTIFIER_CHANNELS_OFFICE_WECOM_TOKEN", "robot-key",
                "OW_NOTIFIER_CHANNELS_OFFICE_MAIL_PASSWORD", "mail-password", "OW_ESCALATION_ACTIONS_LINKS_SECRET", "links-secret"));
        var n = c.notifier();
        assertEquals("robot-key", n.channels().get("officeWecom").token());
        assertEquals("mail-password", n.channels().get("officeMail").password());
        assertEquals(List.of("officeWecom", "officeMail"), n.roles().get(Role.OFFICE).channels());
        assertEquals(java.time.LocalTime.of(18, 0), n.roles().get(Role.OFFICE).roster().get(0).to());
        assertEquals(List.of("canteen"), n.departments().get("logistics").subjects());
        assertEquals("links-secret", c.escalation().actions().links().secret());
        assertTrue(c.escalation().actions().links().enabled());
        assertTrue(!n.channels().get("officeMail").toString().contains("mail-password") && !n.channels().get("officeWecom").toString().contains("robot-key")
                && !c.escalation().actions().toString().contains("links-secret"), "a printed config hides secrets");
    }

    @Test
    void channelMistakesNameTheirKeysAndSecretsInAFileAreRefused() throws IOException {
        Path file = write("""
                notifier:
                  channels:
                    office-wecom: { type: wecom }
                    officeDing: { type: dingtalk, secret: SEC-in-the-file, host: smtp.example.edu }
                    officeMail: { type: email, host: smtp.example.edu, security: NONE, from: nobody }
                    pager: { type: sms }
                  roles:
                    OFFICE: { channels: [officeDing, officeFax], roster: [ { people: [wang] } ] }
                  departments:
                    logistics: { name: 后勤处, subjects: [canteen], channels: [officeDing] }
                    kitchen: { name: 食堂, subjects: [canteen], channels: [officeDing] }
                escalation:
                  actions:
                    links: { baseUrl: "ow.example.edu/", secret: in-the-file }
                """);
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).getMessage();
        for (String expected : List.of("key 'notifier.channels.office-wecom' must be a name in camelCase",
                "key 'notifier.channels.officeDing.secret' is a credential: give it in the environment as OW_NOTIFIER_CHANNELS_OFFICE_DING_SECRET",
                "key 'notifier.channels.officeDing.host' is set, but a dingtalk channel does not use it",
                "key 'notifier.channels.officeMail.security' must be STARTTLS (the default) or SSL",
                "key 'notifier.channels.officeMail.username' must be set", "key 'notifier.channels.officeMail.from' must be the sender's address",
                "key 'notifier.channels.pager.type' must be one of wecom, dingtalk, feishu, email, webhook",
                "key 'notifier.roles.OFFICE.channels' names channel 'officeFax', which notifier.channels does not have",
                "key 'notifier.roles.OFFICE.roster[0].people' names 'wang', who is not in notifier.people",
                "key 'notifier.departments.kitchen.subjects' names subject 'canteen', which department logistics answers for already",
                "key 'escalation.actions.links.baseUrl' must be an absolute http or https URL",
                "key 'escalation.actions.links.secret' is a credential: give it in the environment as OW_ESCALATION_ACTIONS_LINKS_SECRET")) {
            assertTrue(message.contains(file + ": " + expected), expected + " in:\n" + message);
        }
    }
}
