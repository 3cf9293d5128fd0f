package org.opinionwatch.contract.config;

import java.time.Duration;
import java.util.List;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.topic.Topics;

/** All settings of Opinion Watch in one typed place; loaded by {@link ConfigLoader}. */
public record OpinionWatchConfig(Kafka kafka, TopicSettings topics, Endpoints endpoints, Ingest ingest, Classifier classifier,
                                 Escalation escalation, Notifier notifier, Streams streams) {

    /** The cluster: where it is, how its clients connect ({@link KafkaClients}), and how topics are created. */
    public record Kafka(String bootstrapServers, int partitions, short replicationFactor, Security security) {
    }

    /**
     * How every client (the stages, the tools, {@code act}) connects to the cluster: in the clear or over TLS, with
     * SASL credentials or without (docs/kafka-security.md).
     */
    public record Security(Protocol protocol, Sasl sasl, Ssl ssl) {
        /** Kafka's {@code security.protocol}. */
        public enum Protocol {
            PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL;

            public boolean sasl() {
                return this == SASL_PLAINTEXT || this == SASL_SSL;
            }

            public boolean tls() {
                return this == SSL || this == SASL_SSL;
            }
        }
    }

    /**
     * The SASL credentials of the client, with protocol SASL_PLAINTEXT or SASL_SSL.
     *
     * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     * @param password better from the environment ({@code OW_KAFKA_SECURITY_SASL_PASSWORD}) than in a file
     */
    public record Sasl(String mechanism, String username, String password) {
        /** Without the password: a config is logged and printed. */
        @Override
        public String toString() {
            return "Sasl[mechanism=" + mechanism + ", username=" + username + ", password=" + hidden(password) + "]";
        }
    }

    /**
     * TLS, with protocol SSL or SASL_SSL. Without a truststore the JVM's default one (its {@code cacerts}) decides
     * which broker certificates are trusted; a keystore gives the client a certificate of its own (mutual TLS).
     *
     * @param truststoreType {@code JKS}, {@code PKCS12} or {@code PEM}; empty for Kafka's default, JKS
     * @param keystoreType the same for the keystore
     * @param keyPassword of the private key in the keystore, when it differs from the keystore's (or for an
     *     encrypted key in a PEM file)
     * @param endpointIdentification whether the broker's certificate must name the host connected to (Kafka's
     *     default); false only for certificates that cannot, on a network that is trusted anyway
     */
    public record Ssl(String truststoreLocation, String truststoreType, String truststorePassword, String keystoreLocation,
                      String keystoreType, String keystorePassword, String keyPassword, boolean endpointIdentification) {
        /** Without the passwords: a config is logged and printed. */
        @Override
        public String toString() {
            return "Ssl[truststoreLocation=" + truststoreLocation + ", truststoreType=" + truststoreType + ", truststorePassword="
                    + hidden(truststorePassword) + ", keystoreLocation=" + keystoreLocation + ", keystoreType=" + keystoreType
                    + ", keystorePassword=" + hidden(keystorePassword) + ", keyPassword=" + hidden(keyPassword)
                    + ", endpointIdentification=" + endpointIdentification + "]";
        }
    }

    private static String hidden(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "(set)";
    }

    public record TopicSettings(String prefix) {
    }

    /**
     * What every HTTP endpoint of the stages (push, actions, incident queries, metrics and health) shares.
     *
     * @param metricsHost the address each stage's metrics and health endpoint listens on
     * @param idleTimeout a connection that sends or reads nothing for this long is closed, a half-sent request too
     * @param maxHeaderBytes the largest request line and headers taken; more is a 431
     * @param minBodyBytesPerSecond a request body that arrives slower than this is cut off with a 408
     * @param maxConnections connections an endpoint holds at once; more wait to be accepted
     */
    public record Endpoints(String metricsHost, Duration idleTimeout, int maxHeaderBytes, long minBodyBytesPerSecond,
                            int maxConnections) {
    }

    /**
     * What the two Kafka Streams stages (classifier, escalation) share.
     *
     * @param stateDir where they keep their local state, each in {@code <stateDir>/<applicationId>}: kept across
     *     restarts, so that a restarted stage resumes from it instead of restoring everything from the changelogs; one
     *     directory per instance on a host
     * @param commitInterval how often a stage commits its transaction (Kafka Streams' {@code commit.interval.ms}): its
     *     outputs become visible to read_committed consumers then, and a stage that dies redoes what it did since
     */
    public record Streams(String stateDir, Duration commitInterval) {
    }

    public record Ingest(Duration heartbeatEvery, int metricsPort, Http http, Push push, InputLimits limits,
                         Delivery delivery, List<Source> sources) {
        public Ingest {
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    /**
     * The time bounds of input (the field bounds are the contract's, {@code org.opinionwatch.contract.event.Limits}).
     *
     * @param earliest event times ({@code observedAt}, {@code publishedAt}) before this are refused, live or archived
     * @param maxSkew live input (pushed or polled) with an event time further ahead of ingest's clock than this is
     *     refused; archives are not held to it
     */
    public record InputLimits(java.time.Instant earliest, Duration maxSkew) {
    }

    /**
     * How ingest hands records to the broker.
     *
     * @param maxBufferedBytes records accepted and not yet acknowledged by the broker, serialized; beyond this the
     *     push endpoint answers 503 and polled sources and archives wait
     * @param timeout a record the broker has not acknowledged within this is given up by the Kafka producer
     *     ({@code delivery.timeout.ms}); ingest then replaces the producer and sends it again
     */
    public record Delivery(long maxBufferedBytes, Duration timeout) {
    }

    /** How ingest fetches pages: timeouts, retries, politeness. */
    public record Http(String userAgent, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                       Duration initialBackoff, Duration perHostInterval, boolean obeyRobots, long maxBodyBytes) {
    }

    /** The JSON push endpoint for platforms and crawlers that deliver posts themselves. */
    public record Push(boolean enabled, String host, int port, String path, String token, int maxBodyBytes, int maxBatch) {
        /** Without the token: a config is logged and printed. */
        @Override
        public String toString() {
            return "Push[enabled=" + enabled + ", host=" + host + ", port=" + port + ", path=" + path + ", token="
                    + (token == null || token.isEmpty() ? "(none)" : "(set)") + ", maxBodyBytes=" + maxBodyBytes
                    + ", maxBatch=" + maxBatch + "]";
        }
    }

    /**
     * A polled source. {@code type} is {@code forum} (url: the board's list page; engine: {@code discuz},
     * {@code phpbb} or {@code custom} with {@code profile} giving the selectors) or {@code feed} (url: an RSS or
     * Atom feed).
     *
     * @param recentThreads how many threads of the list page are re-observed on each poll
     * @param mainstream whether the source is a mainstream outlet
     * @param zone the zone the site writes times in
     */
    public record Source(String id, String type, String url, String engine, java.util.Map<String, Object> profile,
                         Duration pollEvery, int recentThreads, boolean mainstream, String zone) {
        public Source {
            zone = zone == null ? "Asia/Shanghai" : zone;
            recentThreads = recentThreads == 0 ? 30 : recentThreads;
        }
    }

    /**
     * @param categories content-category lexicons (category → words and phrases) that replace the bundled lexicon of
     *     those categories; empty keeps the bundled ones
     * @param sensitiveDomains the same for the sensitive domains of the plan
     */
    public record Classifier(String applicationId, Duration window, Thresholds thresholds, List<Subject> subjects,
                             java.util.Map<String, List<String>> categories, java.util.Map<String, List<String>> sensitiveDomains,
                             Hysteresis hysteresis, Duration calmPeriod, Forecast forecast, List<Watch> heightenedWatch,
                             Grouping grouping, int metricsPort, Query query) {
        public Classifier {
            categories = categories == null ? java.util.Map.of() : java.util.Map.copyOf(categories);
            sensitiveDomains = sensitiveDomains == null ? java.util.Map.of() : java.util.Map.copyOf(sensitiveDomains);
            heightenedWatch = heightenedWatch == null ? List.of() : List.copyOf(heightenedWatch);
        }

        /** The settings that can change while the classifier runs. */
        public Rules rules() {
            return new Rules(thresholds, subjects, categories, sensitiveDomains, hysteresis, calmPeriod, heightenedWatch, grouping);
        }

        /** These settings with other rules; the rest (application id, window, forecast) stays. */
        public Classifier withRules(Rules r) {
            return new Classifier(applicationId, window, r.thresholds(), r.subjects(), r.categories(), r.sensitiveDomains(),
                    r.hysteresis(), r.calmPeriod(), forecast, r.heightenedWatch(), r.grouping(), metricsPort, query);
        }

        Classifier withApplicationId(String id) {
            return new Classifier(id, window, thresholds, subjects, categories, sensitiveDomains, hysteresis, calmPeriod,
                    forecast, heightenedWatch, grouping, metricsPort, query);
        }
    }

    /**
     * The classifier's incident query endpoint ({@code GET /incidents}), with a bearer token unless it listens on
     * loopback only.
     *
     * @param host the address it listens on
     * @param port its port, 0 for a free one
     */
    public record Query(String host, int port, String token) {
        /** Without the token: a config is logged and printed. */
        @Override
        public String toString() {
            return "Query[host=" + host + ", port=" + port + ", token=" + (token == null || token.isEmpty() ? "(none)" : "(set)") + "]";
        }
    }

    /**
     * The classifier settings that can change without a restart, published on the compacted
     * {@code classifier.rules} topic ({@code opinion-watch rules}). The window and the forecast's rate window are
     * not among them: they decide what the classifier keeps in its state.
     */
    public record Rules(Thresholds thresholds, List<Subject> subjects, java.util.Map<String, List<String>> categories,
                        java.util.Map<String, List<String>> sensitiveDomains, Hysteresis hysteresis, Duration calmPeriod,
                        List<Watch> heightenedWatch, Grouping grouping) {
        public static final String SCHEMA = "classifier-rules/1";
        /** The top-level keys of a rules file: those of the classifier section that are rules. */
        public static final java.util.Set<String> KEYS = java.util.Set.of("thresholds", "subjects", "categories",
                "sensitiveDomains", "hysteresis", "calmPeriod", "heightenedWatch", "grouping");
    }

    /**
     * Incident grouping beyond reposts: an original post on the same subject as a story of the last window whose
     * text is at least {@code similarity} alike (Jaccard similarity of character bigrams) joins that story's incident.
     *
     * @param minBigrams shorter texts are never grouped: a few characters cannot tell two stories apart
     */
    public record Grouping(boolean enabled, double similarity, int minBigrams) {
    }

    /**
     * Going down: the window's metrics must stay below the current level's entry thresholds reduced by
     * {@code margin} (0.2: below 80% of them) for {@code coolDown}, so a count hovering at a threshold never flaps.
     */
    public record Hysteresis(double margin, Duration coolDown) {
    }

    /** Early warning when the incident's pace, measured over {@code rateWindow}, crosses the next threshold within {@code horizon}. */
    public record Forecast(Duration horizon, Duration rateWindow) {
    }

    /**
     * A heightened-watch period (exams, major meetings, anniversaries): from {@code from} (inclusive) to {@code to}
     * (exclusive) in event time, every threshold is multiplied by {@code factor} (0.5: half the counts suffice).
     */
    public record Watch(String name, java.time.Instant from, java.time.Instant to, double factor) {
    }

    /** Entering MAJOR or CRITICAL: any one of views, comments or distinct mainstream outlets reaching its value. */
    public record Thresholds(Threshold major, Threshold critical) {
    }

    public record Threshold(long views, long comments, int outlets) {
    }

    /**
     * A monitored subject: a post matches when its title or text contains one of the keywords, at least one word
     * of every all-of group, and none of the exclusions; a catch-all subject matches every post.
     */
    public record Subject(String id, String name, List<String> keywords, List<String> exclude, List<List<String>> allOf,
                          boolean catchAll) {
        public Subject {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
            allOf = allOf == null ? List.of() : allOf.stream().map(List::copyOf).toList();
        }
    }

    /**
     * The response plan (DESIGN.md, "The response plan") as configuration; the defaults are the plan's. The office's
     * guide to every key is {@code docs/response-plan.md}.
     *
     * @param locale the language of every text the plan writes: {@code zh-CN} (Simplified Chinese, the default) or
     *     {@code en}
     * @param zone the plan's time zone: quiet hours, bulletin times and the daily report are local times there
     * @param atOnce what "at once" (立即) gives as a deadline: reports to the leadership and onward
     * @param remindBefore a reminder goes to the role this long before each deadline, when the deadline leaves time
     *     for one
     * @param growth when a GENERAL incident goes to the MAJOR procedure
     * @param bulletins when bulletins (网络舆情通报) of MAJOR and CRITICAL incidents go out
     * @param aftercare after an incident subsides, how long a relapse is watched for; then the review is due
     * @param reviewWithin the review (总结评估) is due this long after the aftercare ends
     * @param relapse what makes a subsided incident's case reopen as a relapse
     * @param reporting who reports to whom, per level (the plans' reporting chain)
     * @param roles who each role is, how to reach them, their quiet hours, and who hears when they let a deadline pass
     * @param playbook per content category, the duties of its response (duty keys: docs/response-plan.md)
     * @param office a simulated office for replays and backtests: ABSENT (nobody acts), ON_TIME, LATE
     * @param clock the heartbeats the stage writes itself when ingest is silent
     */
    public record Escalation(String applicationId, String locale, String zone, Duration atOnce, Duration forwardWithin,
                             Duration respondWithin, Duration remindBefore, Duration trackingEvery, Duration trackingFor,
                             Growth growth, Bulletins bulletins, DailyReport dailyReport, Duration aftercare,
                             Duration reviewWithin, Relapse relapse, ReportingChain reporting,
                             java.util.Map<Role, RoleSettings> roles, java.util.Map<String, List<String>> playbook,
                             SimulatedOffice office, Clock clock, ActionsEndpoint actions, int metricsPort) {
        public Escalation {
            roles = roles == null ? java.util.Map.of() : java.util.Map.copyOf(roles);
            playbook = playbook == null ? java.util.Map.of() : java.util.Map.copyOf(playbook);
            office = office == null ? SimulatedOffice.ABSENT : office;
        }

        Escalation withApplicationId(String id) {
            return new Escalation(id, locale, zone, atOnce, forwardWithin, respondWithin, remindBefore, trackingEvery, trackingFor,
                    growth, bulletins, dailyReport, aftercare, reviewWithin, relapse, reporting, roles, playbook, office, clock,
                    actions, metricsPort);
        }

        /** The same plan with a simulated office ({@code replay --office}). */
        public Escalation withOffice(SimulatedOffice simulated) {
            return new Escalation(applicationId, locale, zone, atOnce, forwardWithin, respondWithin, remindBefore, trackingEvery,
                    trackingFor, growth, bulletins, dailyReport, aftercare, reviewWithin, relapse, reporting, roles, playbook,
                    simulated, clock, actions, metricsPort);
        }

        /** The role that hears when {@code role} lets a deadline pass: its {@code escalatesTo}, else the office. */
        public Role escalationOf(Role role) {
            RoleSettings settings = roles.get(role);
            return settings != null && settings.escalatesTo() != null ? settings.escalatesTo() : Role.OFFICE;
        }

        /** The role's name for people ({@code roles.X.name}), else the enum's. */
        public String nameOf(Role role) {
            RoleSettings settings = roles.get(role);
            return settings != null && settings.name() != null && !settings.name().isBlank() ? settings.name() : role.name();
        }
    }

    /**
     * A GENERAL incident goes to the MAJOR procedure when it really keeps growing: its window's views or comments rose
     * over one tracking period ({@code trackingFor}) by at least {@code share} of what they were at its start and by
     * at least {@code share} of the MAJOR threshold; or, with {@code forecast}, when the classifier forecasts MAJOR.
     */
    public record Growth(double share, boolean forecast) {
    }

    /**
     * Bulletins of MAJOR and CRITICAL incidents at the local time {@code at} and every {@code every} after it (a
     * period that divides a day), while the incident is MAJOR or CRITICAL; a closing one when it falls below MAJOR.
     */
    public record Bulletins(java.time.LocalTime at, Duration every) {
    }

    /** A subsided incident whose level reaches {@code level} again relapses: its case reopens and gets one review. */
    public record Relapse(Level level) {
    }

    /**
     * The reporting chain (the plans' 逐级报告): per level, who hears at once, and the county's leadership group that
     * the leadership group reports on to.
     *
     * @param county the name of the body the leadership group reports on to, as its duty names it
     */
    public record ReportingChain(String county, java.util.Map<Level, Reporting> levels) {
        public ReportingChain {
            levels = levels == null ? java.util.Map.of() : java.util.Map.copyOf(levels);
        }

        /** The chain of a level; none for a level without one. */
        public Reporting of(Level level) {
            return levels.getOrDefault(level, Reporting.NONE);
        }
    }

    /**
     * One level's reporting chain.
     *
     * @param leadershipGroup the monitoring staff report to the leadership group (the party committee)
     * @param county the leadership group reports on to the county's leadership group
     * @param superiorAuthority the report to the superior authority: DECIDE, the leadership group decides as the
     *     situation requires (a duty to decide); AT_ONCE, the superior authority is told at once
     * @param investigate the department concerned investigates the facts
     */
    public record Reporting(Link leadershipGroup, Link county, Link superiorAuthority, boolean investigate) {
        public static final Reporting NONE = new Reporting(Link.NONE, Link.NONE, Link.NONE, false);

        public Reporting {
            leadershipGroup = leadershipGroup == null ? Link.NONE : leadershipGroup;
            county = county == null ? Link.NONE : county;
            superiorAuthority = superiorAuthority == null ? Link.NONE : superiorAuthority;
        }
    }

    /** A link of the reporting chain: none, a report at once, or a decision to report as the situation requires. */
    public enum Link { NONE, AT_ONCE, DECIDE }

    /** Who acts on the plan's duties in a replay: nobody (live), or a simulated office on time or late. */
    public enum SimulatedOffice { ABSENT, ON_TIME, LATE }

    /**
     * When no heartbeat has come on {@code clock} for {@code silentAfter} of wall-clock time, the escalation stage
     * writes wall-clock heartbeats there itself, every {@code every}, until one comes again.
     */
    public record Clock(boolean enabled, Duration silentAfter, Duration every) {
    }

    /**
     * The daily report (舆情日报) to the leadership group and the office, at {@code at} in the plan's zone, every day or on
     * working days (Monday to Friday) only.
     */
    public record DailyReport(java.time.LocalTime at, boolean workingDaysOnly) {
    }

    /**
     * @param contacts names, phone numbers, addresses: for the notifier services, which look a role up by name
     * @param channels how the notifier reaches the role (such as {@code webhook}, {@code sms})
     * @param quietHours when notifications about MINOR and GENERAL incidents wait for one digest; none when null
     */
    public record RoleSettings(String name, List<String> contacts, List<String> channels, Role escalatesTo, QuietHours quietHours) {
        public RoleSettings {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
            channels = channels == null ? List.of() : List.copyOf(channels);
        }
    }

    /**
     * From {@code from} to {@code to}, local times in the plan's zone (across midnight when {@code to} is earlier).
     *
     * @param inHeightenedWatch whether they hold in a heightened-watch period ({@code classifier.heightenedWatch});
     *     false suspends them there (the office's 24-hour watch)
     */
    public record QuietHours(java.time.LocalTime from, java.time.LocalTime to, boolean inHeightenedWatch) {
    }

    /**
     * The HTTP endpoint of the escalation stage where people record actions (bearer token, like the push endpoint).
     *
     * @param links the signed action links of chat messages and e-mails, which it serves under {@code /links/}
     */
    public record ActionsEndpoint(boolean enabled, String host, int port, String token, ActionLinks links) {
        public ActionsEndpoint {
            links = links == null ? new ActionLinks("", "", Duration.ofDays(3)) : links;
        }

        /** Without the token: a config is logged and printed. */
        @Override
        public String toString() {
            return "ActionsEndpoint[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                    + (token == null || token.isEmpty() ? "(none)" : "(set)") + ", links=" + links + "]";
        }
    }

    /**
     * Signed, expiring, single-use links in the notifier's chat messages and e-mails that record a duty done (or a
     * dismissal) on the actions endpoint; off while {@code baseUrl} is empty. The notifier signs them, the escalation
     * stage checks them: both need the same secret.
     *
     * @param baseUrl where people's phones reach the actions endpoint (through a reverse proxy), such as
     *     {@code https://ow.example.edu}; a link is {@code baseUrl + "/links/" + token}
     * @param secret the HMAC-SHA256 key of the links, 32 characters at least, from {@code OW_ESCALATION_ACTIONS_LINKS_SECRET}
     * @param validFor how long a link stays usable after its message is sent
     */
    public record ActionLinks(String baseUrl, String secret, Duration validFor) {
        /** Whether links are made and served. */
        public boolean enabled() {
            return baseUrl != null && !baseUrl.isBlank();
        }

        /** Without the secret: a config is logged and printed. */
        @Override
        public String toString() {
            return "ActionLinks[baseUrl=" + baseUrl + ", secret=" + hidden(secret) + ", validFor=" + validFor + "]";
        }
    }

    /**
     * The reference notifier: each notification goes to the channels of the role (or, for DEPARTMENT, of the subject's
     * department) it is for: WeCom, DingTalk and Feishu group robots, e-mail, and signed webhooks, to whoever of the
     * role is on duty (its roster), retried until each channel takes it or refuses it (docs/channels.md).
     *
     * @param groupId the consumer group of the notifier instances; they share the partitions of {@code notifications}
     * @param webhooks by role, a signed webhook each: the short form of a channel of type {@code webhook}
     * @param channels by name: where messages go, each of a type; secrets from the environment
     * @param people by id: who may be on duty, with the addresses each channel reaches them at
     * @param roles by role: its channels and its roster
     * @param departments by id: each department's name, the subjects it answers for, its channels and roster
     * @param timeout of one attempt: connecting, sending and the whole response
     * @param initialBackoff the wait after a first failed attempt; it doubles with every failure, with jitter
     * @param maxBackoff the longest wait between two attempts, also when a {@code Retry-After} asks for longer
     * @param maxPending notifications of one partition read and not yet finished before the notifier stops reading
     *     that partition: what bounds its memory while a channel is down
     */
    public record Notifier(String groupId, java.util.Map<Role, Webhook> webhooks, java.util.Map<String, Channel> channels,
                           java.util.Map<String, Person> people, java.util.Map<Role, Team> roles,
                           java.util.Map<String, Department> departments, Duration timeout, Duration initialBackoff,
                           Duration maxBackoff, int maxPending, int metricsPort) {
        public Notifier {
            // EnumMap and LinkedHashMap rather than Map.copyOf: an entry left empty in a file must reach validation,
            // not fail here, and the order of the file is the order of messages and errors.
            webhooks = webhooks == null || webhooks.isEmpty() ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(webhooks));
            channels = ordered(channels);
            people = ordered(people);
            roles = roles == null || roles.isEmpty() ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(roles));
            departments = ordered(departments);
        }

        Notifier withGroupId(String id) {
            return new Notifier(id, webhooks, channels, people, roles, departments, timeout, initialBackoff, maxBackoff, maxPending,
                    metricsPort);
        }

        private static <V> java.util.Map<String, V> ordered(java.util.Map<String, V> map) {
            return map == null || map.isEmpty() ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
        }
    }

    /**
     * @param secret the key of the HMAC-SHA256 signature of every request; better from the environment
     *     ({@code OW_NOTIFIER_WEBHOOKS_OFFICE_SECRET}) than in a file
     */
    public record Webhook(String url, String secret) {
        /** Without the secret: a config is logged and printed. */
        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=" + hidden(secret) + "]";
        }
    }

    /**
     * One channel: a chat group's robot, a mail account, or a webhook. Which keys a type takes (docs/channels.md):
     * {@code wecom} token (the robot's key); {@code dingtalk} token (access_token) and secret (加签, SEC...);
     * {@code feishu} token (the hook's id) and secret (签名校验); {@code webhook} url and secret; {@code email} host,
     * port, security, username, password, from, to, truststore. The robots' {@code url} defaults to the service's
     * own address. Token, secret and password come from the environment only:
     * {@code OW_NOTIFIER_CHANNELS_<NAME>_TOKEN}, {@code _SECRET}, {@code _PASSWORD}.
     *
     * @param type {@code wecom}, {@code dingtalk}, {@code feishu}, {@code email} or {@code webhook}
     * @param security e-mail: {@code STARTTLS} (port 587, the default) or {@code SSL} (port 465); never in the clear
     * @param to e-mail: addresses that get every message, besides the people on duty
     * @param truststore e-mail: a PEM file of the CA certificates the server's certificate is checked against; empty:
     *     the JVM's own
     * @param perMinute messages a minute at most; 0: the service's own limit (WeCom and DingTalk 20, Feishu 100), none
     *     for e-mail and webhooks
     */
    public record Channel(String type, String url, String token, String secret, String host, int port, String security,
                          String username, String password, String from, List<String> to, String truststore, int perMinute) {
        public Channel {
            to = to == null ? List.of() : List.copyOf(to);
        }

        /** Without the secrets: a config is logged and printed. */
        @Override
        public String toString() {
            return "Channel[type=" + type + ", url=" + url + ", token=" + hidden(token) + ", secret=" + hidden(secret) + ", host=" + host
                    + ", port=" + port + ", security=" + security + ", username=" + username + ", password=" + hidden(password)
                    + ", from=" + from + ", to=" + to + ", truststore=" + truststore + ", perMinute=" + perMinute + "]";
        }
    }

    /**
     * Someone who may be on duty, and how each channel addresses them.
     *
     * @param email where the e-mail channels write to them, and how Feishu mentions them
     * @param mobile how DingTalk mentions them (@ in the group)
     * @param wecomUserId how WeCom mentions them: their account (userid) in the school's WeCom
     */
    public record Person(String name, String email, String mobile, String wecomUserId) {
    }

    /**
     * Who hears for a role: its channels, and its roster (empty: the channels' whole groups, nobody in particular).
     */
    public record Team(List<String> channels, List<Shift> roster) {
        public Team {
            channels = channels == null ? List.of() : List.copyOf(channels);
            roster = roster == null ? List.of() : List.copyOf(roster);
        }
    }

    /**
     * A department (后勤处, 学生处, ...): the subjects it answers for, and its own channels and roster; the
     * DEPARTMENT notifications of those subjects go to it.
     */
    public record Department(String name, List<String> subjects, List<String> channels, List<Shift> roster) {
        public Department {
            subjects = subjects == null ? List.of() : List.copyOf(subjects);
            channels = channels == null ? List.of() : List.copyOf(channels);
            roster = roster == null ? List.of() : List.copyOf(roster);
        }
    }

    /**
     * One line of a roster (值班表): who is on duty on these days, between these local times of the plan's zone
     * ({@code escalation.zone}), within these dates. The first line that holds at an instant says who is on duty.
     *
     * @param days days of the week; empty: every day
     * @param from start of the shift; null: midnight
     * @param to end of the shift (exclusive; across midnight when before {@code from}, the shift belonging to the
     *     day it starts); null: the end of the day
     * @param start first date it applies (inclusive); null: always
     * @param end last date it applies (inclusive); null: always
     */
    public record Shift(List<String> people, List<java.time.DayOfWeek> days, java.time.LocalTime from, java.time.LocalTime to,
                        java.time.LocalDate start, java.time.LocalDate end) {
        public Shift {
            people = people == null ? List.of() : List.copyOf(people);
            days = days == null ? List.of() : List.copyOf(days);
        }
    }

    public Topics topicNames() {
        return Topics.withPrefix(topics.prefix());
    }

    /** The same settings in another topic namespace, with application ids in that namespace too. */
    public OpinionWatchConfig inNamespace(String prefix) {
        return new OpinionWatchConfig(kafka, new TopicSettings(prefix), endpoints, ingest,
                classifier.withApplicationId(prefix + classifier.applicationId()),
                escalation.withApplicationId(prefix + escalation.applicationId()),
                notifier.withGroupId(prefix + notifier.groupId()), streams);
    }

    /** The same settings with other classifier rules ({@link ConfigLoader#loadRules}): a backtest runs each of two. */
    public OpinionWatchConfig withRules(Rules rules) {
        return new OpinionWatchConfig(kafka, topics, endpoints, ingest, classifier.withRules(rules), escalation, notifier, streams);
    }

    /** The same settings with a simulated office ({@code replay --office}). */
    public OpinionWatchConfig withOffice(SimulatedOffice office) {
        return new OpinionWatchConfig(kafka, topics, endpoints, ingest, classifier, escalation.withOffice(office), notifier, streams);
    }

    public OpinionWatchConfig withBootstrapServers(String bootstrapServers) {
        return new OpinionWatchConfig(new Kafka(bootstrapServers, kafka.partitions(), kafka.replicationFactor(), kafka.security()),
                topics, endpoints, ingest, classifier, escalation, notifier, streams);
    }

    /** The same settings with the Streams stages' local state under {@code stateDir}: a run's own temporary one. */
    public OpinionWatchConfig withStateDir(java.nio.file.Path stateDir) {
        return new OpinionWatchConfig(kafka, topics, endpoints, ingest, classifier, escalation, notifier, new Streams(stateDir.toString(), streams.commitInterval()));
    }
}
