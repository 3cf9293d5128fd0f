package org.opinionwatch.contract.config;

import java.time.Duration;
import java.util.List;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.topic.Topics;

/** All settings of Opinion Watch in one typed place; loaded by {@link ConfigLoader}. */
public record OpinionWatchConfig(Kafka kafka, TopicSettings topics, Ingest ingest, Classifier classifier, Escalation escalation,
                                 Notifier notifier, Streams streams) {

    public record Kafka(String bootstrapServers, int partitions, short replicationFactor) {
    }

    public record TopicSettings(String prefix) {
    }

    /**
     * What the two Kafka Streams stages (classifier, escalation) share.
     *
     * @param stateDir where they keep their local state, each in {@code <stateDir>/<applicationId>}: kept across
     *     restarts, so that a restarted stage resumes from it instead of restoring everything from the changelogs; one
     *     directory per instance on a host
     */
    public record Streams(String stateDir) {
    }

    public record Ingest(Duration heartbeatEvery, int metricsPort, Http http, Push push, List<Source> sources) {
        public Ingest {
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    /** How ingest fetches pages: timeouts, retries, politeness. */
    public record Http(String userAgent, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                       Duration initialBackoff, Duration perHostInterval, boolean obeyRobots, long maxBodyBytes) {
    }

    /** The JSON push endpoint for platforms and crawlers that deliver posts themselves. */
    public record Push(boolean enabled, String host, int port, String path, String token, int maxBodyBytes, int maxBatch) {
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
                             Grouping grouping, int metricsPort) {
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
                    r.hysteresis(), r.calmPeriod(), forecast, r.heightenedWatch(), r.grouping(), metricsPort);
        }

        Classifier withApplicationId(String id) {
            return new Classifier(id, window, thresholds, subjects, categories, sensitiveDomains, hysteresis, calmPeriod,
                    forecast, heightenedWatch, grouping, metricsPort);
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
     * The response plan (DESIGN.md, "The response plan") as configuration; the defaults are the plan's.
     *
     * @param atOnce what "at once" (立即) gives as a deadline: reports to the leadership and the superior authority
     * @param remindBefore a reminder goes to the role this long before each deadline
     * @param growingCheckpoints a GENERAL incident growing at this many checkpoints in a row is handled by the
     *     MAJOR procedure, as is one that has not calmed down when its first tracking period ends
     * @param bulletinEvery bulletins (网络舆情通报) of MAJOR and CRITICAL incidents at this period until they subside
     * @param aftercare after an incident subsides, how long a relapse is watched for; then the review is due
     * @param reviewWithin the review (总结评估) is due this long after the aftercare ends
     * @param roles who each role is, how to reach them, and who hears when they let a deadline pass
     * @param playbook per content category, the duties of its response (see the README for the duty names)
     */
    public record Escalation(String applicationId, Duration atOnce, Duration forwardWithin, Duration respondWithin,
                             Duration remindBefore, Duration trackingEvery, Duration trackingFor, int growingCheckpoints,
                             Duration bulletinEvery, DailyReport dailyReport, Duration aftercare, Duration reviewWithin,
                             java.util.Map<Role, RoleSettings> roles, java.util.Map<String, List<String>> playbook,
                             ActionsEndpoint actions, int metricsPort) {
        public Escalation {
            roles = roles == null ? java.util.Map.of() : java.util.Map.copyOf(roles);
            playbook = playbook == null ? java.util.Map.of() : java.util.Map.copyOf(playbook);
        }

        Escalation withApplicationId(String id) {
            return new Escalation(id, atOnce, forwardWithin, respondWithin, remindBefore, trackingEvery, trackingFor,
                    growingCheckpoints, bulletinEvery, dailyReport, aftercare, reviewWithin, roles, playbook, actions, metricsPort);
        }

        /** The role that hears when {@code role} lets a deadline pass: its {@code escalatesTo}, else the office. */
        public Role escalationOf(Role role) {
            RoleSettings settings = roles.get(role);
            return settings != null && settings.escalatesTo() != null ? settings.escalatesTo() : Role.OFFICE;
        }
    }

    /** The daily report (舆情日报) to the leadership, at {@code at} in {@code zone}, on working days (Mon-Fri) only or every day. */
    public record DailyReport(java.time.LocalTime at, String zone, boolean workingDaysOnly) {
    }

    /**
     * @param contacts names, phone numbers, addresses: for the notifier services, which look a role up by name
     * @param channels how the notifier reaches the role (such as {@code webhook}, {@code sms})
     */
    public record RoleSettings(String name, List<String> contacts, List<String> channels, Role escalatesTo) {
        public RoleSettings {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
            channels = channels == null ? List.of() : List.copyOf(channels);
        }
    }

    /** The HTTP endpoint of the escalation stage where people record actions (bearer token, like the push endpoint). */
    public record ActionsEndpoint(boolean enabled, String host, int port, String token) {
    }

    /**
     * The reference webhook notifier: each notification is POSTed, signed, to the webhook of its role, and retried
     * until the webhook takes it (2xx) or refuses it (4xx other than 408 and 429).
     *
     * @param groupId the consumer group of the notifier instances; they share the partitions of {@code notifications}
     * @param webhooks by role; a role without one is recorded as skipped
     * @param timeout of one attempt: connecting, sending and the whole response
     * @param initialBackoff the wait after a first failed attempt; it doubles with every failure, with jitter
     * @param maxBackoff the longest wait between two attempts, also when a {@code Retry-After} asks for longer
     * @param maxPending notifications of one partition read and not yet finished before the notifier stops reading
     *     that partition: what bounds its memory while a webhook is down
     */
    public record Notifier(String groupId, java.util.Map<Role, Webhook> webhooks, Duration timeout, Duration initialBackoff,
                           Duration maxBackoff, int maxPending, int metricsPort) {
        public Notifier {
            // EnumMap rather than Map.copyOf: a webhook left empty in a file must reach validation, not fail here.
            webhooks = webhooks == null || webhooks.isEmpty() ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(webhooks));
        }

        Notifier withGroupId(String id) {
            return new Notifier(id, webhooks, timeout, initialBackoff, maxBackoff, maxPending, metricsPort);
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
            return "Webhook[url=" + url + ", secret=" + (secret == null || secret.isEmpty() ? "(none)" : "(set)") + "]";
        }
    }

    public Topics topicNames() {
        return Topics.withPrefix(topics.prefix());
    }

    /** The same settings in another topic namespace, with application ids in that namespace too. */
    public OpinionWatchConfig inNamespace(String prefix) {
        return new OpinionWatchConfig(kafka, new TopicSettings(prefix), ingest,
                classifier.withApplicationId(prefix + classifier.applicationId()),
                escalation.withApplicationId(prefix + escalation.applicationId()),
                notifier.withGroupId(prefix + notifier.groupId()), streams);
    }

    /** The same settings with other classifier rules ({@link ConfigLoader#loadRules}): a backtest runs each of two. */
    public OpinionWatchConfig withRules(Rules rules) {
        return new OpinionWatchConfig(kafka, topics, ingest, classifier.withRules(rules), escalation, notifier, streams);
    }

    public OpinionWatchConfig withBootstrapServers(String bootstrapServers) {
        return new OpinionWatchConfig(new Kafka(bootstrapServers, kafka.partitions(), kafka.replicationFactor()),
                topics, ingest, classifier, escalation, notifier, streams);
    }

    /** The same settings with the Streams stages' local state under {@code stateDir}: a run's own temporary one. */
    public OpinionWatchConfig withStateDir(java.nio.file.Path stateDir) {
        return new OpinionWatchConfig(kafka, topics, ingest, classifier, escalation, notifier, new Streams(stateDir.toString()));
    }
}
