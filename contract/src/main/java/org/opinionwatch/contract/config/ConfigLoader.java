package org.opinionwatch.contract.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads {@link OpinionWatchConfig}: the bundled defaults, then a YAML file over them, then environment variables
 * ({@code OW_} + the key path in upper snake case) over both. Every error names the key and where it came from.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "opinion-watch-defaults.yaml";
    /** The keys of a notifier channel that hold credentials: given by the environment only. */
    private static final List<String> CHANNEL_SECRETS = List.of("token", "secret", "password");
    /** The channel types of the notifier. */
    public static final List<String> CHANNEL_TYPES = List.of("wecom", "dingtalk", "feishu", "email", "webhook");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Writes a loaded config back as a tree with times as text, the way a config file has them. */
    private static final ObjectMapper TREE_WRITER = YAML.copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private ConfigLoader() {
    }

    /** The defaults with the process environment applied. */
    public static OpinionWatchConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** @param file a YAML file, or null for the defaults alone */
    public static OpinionWatchConfig load(Path file, Map<String, String> env) {
        ObjectNode tree = readDefaults();
        String origin = file == null ? "defaults" : file.toString();
        if (file != null) {
            JsonNode overrides = readFile(file);
            // A file of comments only reads as a missing node: it overrides nothing, like an empty one.
            if (overrides != null && !overrides.isNull() && !overrides.isMissingNode()) {
                if (!overrides.isObject()) {
                    throw new ConfigException(file + ": expected a mapping of settings at the top level");
                }
                merge(tree, (ObjectNode) overrides, "", file.toString());
            }
        }
        addSecretKeys(tree);
        Set<String> fromEnv = applyEnvironment(tree, "", env);
        OpinionWatchConfig config;
        try {
            config = YAML.treeToValue(tree, OpinionWatchConfig.class);
        } catch (JsonMappingException e) {
            String key = keyOf(e);
            throw new ConfigException(where(key, origin, fromEnv) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(origin + ": " + e.getMessage(), e);
        }
        validate(config, key -> where(key, origin, fromEnv), fromEnv);
        return config;
    }

    /**
     * The classifier rules of a rules file ({@link OpinionWatchConfig.Rules#KEYS}, shaped like the classifier
     * section of the config) over those of {@code base}, validated as a whole config would be.
     */
    public static OpinionWatchConfig.Rules loadRules(Path file, OpinionWatchConfig base) {
        JsonNode rules = readFile(file);
        if (rules == null || !rules.isObject()) {
            throw new ConfigException(file + ": expected a mapping of classifier rules at the top level");
        }
        for (String key : iterable(rules.fieldNames())) {
            if (!OpinionWatchConfig.Rules.KEYS.contains(key)) {
                throw new ConfigException(file + ": key '" + key + "' is not a rule (rules are " + String.join(", ",
                        new java.util.TreeSet<>(OpinionWatchConfig.Rules.KEYS)) + "); other settings change with a restart");
            }
        }
        ObjectNode tree = TREE_WRITER.valueToTree(base);
        merge((ObjectNode) tree.get("classifier"), (ObjectNode) rules, "", file.toString());
        OpinionWatchConfig config;
        try {
            config = YAML.treeToValue(tree, OpinionWatchConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": key '" + keyOf(e).replaceFirst("^classifier\\.", "") + "': " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        validate(config, key -> file + ": key '" + key.replaceFirst("^classifier\\.", "") + "'", null);
        return config.classifier().rules();
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("bundled " + DEFAULTS + " is missing or broken", e);
        }
    }

    private static JsonNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such config file");
        }
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * Objects merge key by key; anything else (a list of subjects, a number) replaces the default, and so does a
     * mapping whose default is empty: that one is free-form (lexicons by category).
     */
    private static void merge(ObjectNode base, ObjectNode overrides, String path, String file) {
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path + field.getKey();
            JsonNode existing = base.get(field.getKey());
            if (existing == null) {
                throw new ConfigException(file + ": unknown key '" + key + "'");
            }
            if (existing.isObject() && !existing.isEmpty() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), key + ".", file);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    /** Overrides each scalar setting that has an environment variable; returns the keys that were overridden. */
    private static Set<String> applyEnvironment(ObjectNode node, String path, Map<String, String> env) {
        Set<String> overridden = new HashSet<>();
        for (String name : iterable(node.fieldNames())) {
            JsonNode child = node.get(name);
            String key = path + name;
            if (child.isObject()) {
                overridden.addAll(applyEnvironment((ObjectNode) child, key + ".", env));
            } else if (!child.isArray()) {
                String value = env.get(envName(key));
                if (value != null) {
                    node.set(name, TextNode.valueOf(value));
                    overridden.add(key);
                }
            }
        }
        return overridden;
    }

    /**
     * The environment overrides only keys that are there: an empty secret for each webhook and channel that names
     * none lets {@code OW_NOTIFIER_WEBHOOKS_<ROLE>_SECRET} or {@code OW_NOTIFIER_CHANNELS_<NAME>_TOKEN} (and
     * {@code _SECRET}, {@code _PASSWORD}) give it, so that a secret never has to be written in a file.
     */
    private static void addSecretKeys(ObjectNode tree) {
        for (JsonNode webhook : tree.path("notifier").path("webhooks")) {
            if (webhook.isObject() && !webhook.has("secret")) {
                ((ObjectNode) webhook).put("secret", "");
            }
        }
        for (JsonNode channel : tree.path("notifier").path("channels")) {
            if (channel.isObject()) {
                for (String key : CHANNEL_SECRETS) {
                    if (!channel.has(key)) {
                        ((ObjectNode) channel).put(key, "");
                    }
                }
            }
        }
    }

    /** Whether {@code file} (may be null) or the environment gives {@code key} a value, rather than the defaults. */
    public static boolean isSet(Path file, Map<String, String> env, String key) {
        if (env.containsKey(envName(key))) {
            return true;
        }
        JsonNode tree = file == null ? null : readFile(file);
        return tree != null && !tree.at("/" + key.replace('.', '/')).isMissingNode();
    }

    /** {@code kafka.bootstrapServers} is {@code OW_KAFKA_BOOTSTRAP_SERVERS}. */
    public static String envName(String key) {
        return "OW_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static String where(String key, String origin, Set<String> fromEnv) {
        return fromEnv.contains(key) ? "environment variable " + envName(key) + " (key '" + key + "')" : origin + ": key '" + key + "'";
    }

    private static String keyOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** @param fromEnv the keys the environment gave, to refuse secrets written in a file; null: not checked */
    private static void validate(OpinionWatchConfig c, java.util.function.Function<String, String> where, Set<String> fromEnv) {
        List<String> problems = new ArrayList<>();
        check(problems, where, "kafka.bootstrapServers", c.kafka().bootstrapServers() != null && !c.kafka().bootstrapServers().isBlank(), "must not be empty");
        check(problems, where, "kafka.partitions", c.kafka().partitions() >= 1, "must be at least 1");
        check(problems, where, "kafka.replicationFactor", c.kafka().replicationFactor() >= 1, "must be at least 1");
        validateSecurity(c.kafka().security(), where, problems);
        // Absolute: a relative one would follow the working directory, and a restart from elsewhere would not find it.
        check(problems, where, "streams.stateDir", isAbsolutePath(c.streams().stateDir()), "must be an absolute path such as /var/lib/opinion-watch/streams");
        // Kafka Streams refuses a commit interval that its producers' transaction timeout (10 s) would cut short.
        check(problems, where, "streams.commitInterval", positive(c.streams().commitInterval())
                && c.streams().commitInterval().compareTo(Duration.ofSeconds(10)) < 0, "must be a positive duration below PT10S");
        check(problems, where, "topics.prefix", c.topics().prefix() == null || c.topics().prefix().matches("[A-Za-z0-9._-]*"),
                "may hold only letters, digits, '.', '_' and '-'");
        check(problems, where, "classifier.applicationId", notBlank(c.classifier().applicationId()), "must not be empty");
        check(problems, where, "classifier.window", positive(c.classifier().window()), "must be a positive duration such as PT24H");
        var t = c.classifier().thresholds();
        for (String level : List.of("major", "critical")) {
            var threshold = level.equals("major") ? t.major() : t.critical();
            check(problems, where, "classifier.thresholds." + level, threshold != null, "is required");
            if (threshold != null) {
                check(problems, where, "classifier.thresholds." + level,
                        threshold.views() > 0 && threshold.comments() > 0 && threshold.outlets() > 0, "views, comments and outlets must be positive");
            }
        }
        if (t.major() != null && t.critical() != null) {
            check(problems, where, "classifier.thresholds.critical",
                    t.critical().views() >= t.major().views() && t.critical().comments() >= t.major().comments()
                            && t.critical().outlets() >= t.major().outlets(), "must not be below classifier.thresholds.major");
        }
        var h = c.classifier().hysteresis();
        check(problems, where, "classifier.hysteresis.margin", h.margin() >= 0 && h.margin() < 1, "must be at least 0 and below 1");
        check(problems, where, "classifier.hysteresis.coolDown", positive(h.coolDown()), "must be a positive duration");
        check(problems, where, "classifier.calmPeriod", positive(c.classifier().calmPeriod()), "must be a positive duration");
        check(problems, where, "classifier.forecast.horizon", positive(c.classifier().forecast().horizon()), "must be a positive duration");
        check(problems, where, "classifier.forecast.rateWindow", positive(c.classifier().forecast().rateWindow())
                && c.classifier().forecast().rateWindow().compareTo(c.classifier().window()) <= 0, "must be a positive duration no longer than classifier.window");
        var grouping = c.classifier().grouping();
        check(problems, where, "classifier.grouping.similarity", grouping.similarity() > 0 && grouping.similarity() <= 1, "must be above 0 and at most 1");
        check(problems, where, "classifier.grouping.minBigrams", grouping.minBigrams() >= 1, "must be at least 1");
        for (int i = 0; i < c.classifier().heightenedWatch().size(); i++) {
            var w = c.classifier().heightenedWatch().get(i);
            String key = "classifier.heightenedWatch[" + i + "]";
            check(problems, where, key + ".to", w.from() != null && w.to() != null && w.to().isAfter(w.from()), "must be after from");
            check(problems, where, key + ".factor", w.factor() > 0 && w.factor() <= 1, "must be above 0 and at most 1");
        }
        List<OpinionWatchConfig.Subject> subjects = c.classifier().subjects();
        check(problems, where, "classifier.subjects", subjects != null && !subjects.isEmpty(), "needs at least one subject");
        Set<String> ids = new HashSet<>();
        for (int i = 0; subjects != null && i < subjects.size(); i++) {
            var s = subjects.get(i);
            String key = "classifier.subjects[" + i + "]";
            check(problems, where, key + ".id", notBlank(s.id()), "must not be empty");
            check(problems, where, key + ".id", s.id() == null || ids.add(s.id()), "'" + s.id() + "' is used twice");
            check(problems, where, key + ".keywords", s.catchAll() || !s.allOf().isEmpty() || s.keywords().stream().anyMatch(ConfigLoader::notBlank),
                    "needs at least one keyword (or allOf groups, or catchAll: true)");
            for (int g = 0; g < s.allOf().size(); g++) {
                check(problems, where, key + ".allOf[" + g + "]", s.allOf().get(g).stream().anyMatch(ConfigLoader::notBlank),
                        "needs at least one word: an empty group can never be satisfied");
            }
        }
        validateEndpoints(c.endpoints(), where, problems);
        var query = c.classifier().query();
        check(problems, where, "classifier.query.host", notBlank(query.host()), "must be an address to listen on");
        checkPort(problems, where, "classifier.query.port", query.port());
        if (query.token() == null || query.token().isEmpty()) {
            check(problems, where, "classifier.query.token", isLoopback(query.host()),
                    "must be set when classifier.query.host is not a loopback address (use OW_CLASSIFIER_QUERY_TOKEN)");
        } else {
            check(problems, where, "classifier.query.token", query.token().length() >= 16, "must be at least 16 characters");
        }
        validateIngest(c.ingest(), where, problems);
        validateNotifier(c.notifier(), where, fromEnv, problems);
        checkPort(problems, where, "classifier.metricsPort", c.classifier().metricsPort());
        checkPort(problems, where, "escalation.metricsPort", c.escalation().metricsPort());
        check(problems, where, "escalation.applicationId", notBlank(c.escalation().applicationId()), "must not be empty");
        check(problems, where, "escalation.forwardWithin", positive(c.escalation().forwardWithin()), "must be a positive duration");
        check(problems, where, "escalation.respondWithin", positive(c.escalation().respondWithin()), "must be a positive duration");
        check(problems, where, "escalation.trackingEvery", positive(c.escalation().trackingEvery()), "must be a positive duration");
        check(problems, where, "escalation.trackingFor", positive(c.escalation().trackingFor()), "must be a positive duration");
        var e = c.escalation();
        for (var d : java.util.Map.of("atOnce", e.atOnce(), "remindBefore", e.remindBefore(), "aftercare", e.aftercare(),
                "reviewWithin", e.reviewWithin()).entrySet()) {
            check(problems, where, "escalation." + d.getKey(), positive(d.getValue()), "must be a positive duration");
        }
        check(problems, where, "escalation.locale", "zh-CN".equals(e.locale()) || "en".equals(e.locale()), "must be zh-CN or en");
        check(problems, where, "escalation.zone", isZone(e.zone()), "must be a time zone such as Asia/Shanghai");
        check(problems, where, "escalation.growth.share", e.growth() != null && e.growth().share() > 0, "must be above 0, such as 0.5");
        check(problems, where, "escalation.bulletins.at", e.bulletins() != null && e.bulletins().at() != null, "must be a time such as 08:30");
        check(problems, where, "escalation.bulletins.every", e.bulletins() != null && positive(e.bulletins().every())
                && Duration.ofDays(1).toMillis() % e.bulletins().every().toMillis() == 0, "must be a period that divides a day, such as PT12H or P1D");
        check(problems, where, "escalation.dailyReport.at", e.dailyReport() != null && e.dailyReport().at() != null, "must be a time such as 17:30");
        check(problems, where, "escalation.relapse.level", e.relapse() != null && e.relapse().level() != null
                && e.relapse().level().compareTo(org.opinionwatch.contract.event.Level.MINOR) >= 0, "must be MINOR, GENERAL, MAJOR or CRITICAL");
        check(problems, where, "escalation.reporting.county", e.reporting() != null && notBlank(e.reporting().county()), "must name a body");
        e.roles().forEach((role, r) -> {
            if (r != null && r.quietHours() != null) {
                check(problems, where, "escalation.roles." + role + ".quietHours", r.quietHours().from() != null && r.quietHours().to() != null,
                        "needs from and to, such as { from: \"22:00\", to: \"07:00\" }");
            }
        });
        check(problems, where, "escalation.clock.silentAfter", e.clock() != null && positive(e.clock().silentAfter()), "must be a positive duration");
        check(problems, where, "escalation.clock.every", e.clock() != null && positive(e.clock().every()), "must be a positive duration");
        if (e.actions() != null && e.actions().enabled()) {
            check(problems, where, "escalation.actions.token", e.actions().token() != null && e.actions().token().length() >= 16,
                    "must be set, at least 16 characters, when the actions endpoint is enabled (use OW_ESCALATION_ACTIONS_TOKEN)");
            check(problems, where, "escalation.actions.host", notBlank(e.actions().host()), "must be an address to listen on");
            checkPort(problems, where, "escalation.actions.port", e.actions().port());
        }
        if (e.actions() != null) {
            validateLinks(e.actions().links(), where, fromEnv, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
    }

    private static void validateEndpoints(OpinionWatchConfig.Endpoints e, java.util.function.Function<String, String> where, List<String> problems) {
        check(problems, where, "endpoints.metricsHost", notBlank(e.metricsHost()), "must be an address to listen on");
        check(problems, where, "endpoints.idleTimeout", positive(e.idleTimeout()), "must be a positive duration such as PT30S");
        check(problems, where, "endpoints.maxHeaderBytes", e.maxHeaderBytes() >= 1024, "must be at least 1024");
        check(problems, where, "endpoints.minBodyBytesPerSecond", e.minBodyBytesPerSecond() >= 0, "must not be negative (0: no minimum)");
        check(problems, where, "endpoints.maxConnections", e.maxConnections() >= 1, "must be at least 1");
    }

    private static void validateIngest(OpinionWatchConfig.Ingest in, java.util.function.Function<String, String> where, List<String> problems) {
        check(problems, where, "ingest.heartbeatEvery", positive(in.heartbeatEvery()), "must be a positive duration");
        checkPort(problems, where, "ingest.metricsPort", in.metricsPort());
        var http = in.http();
        check(problems, where, "ingest.http.userAgent", notBlank(http.userAgent()), "must not be empty");
        check(problems, where, "ingest.http.connectTimeout", positive(http.connectTimeout()), "must be a positive duration");
        check(problems, where, "ingest.http.requestTimeout", positive(http.requestTimeout()), "must be a positive duration");
        check(problems, where, "ingest.http.maxAttempts", http.maxAttempts() >= 1, "must be at least 1");
        check(problems, where, "ingest.http.initialBackoff", positive(http.initialBackoff()), "must be a positive duration");
        check(problems, where, "ingest.http.perHostInterval", http.perHostInterval() != null && !http.perHostInterval().isNegative(), "must not be negative");
        check(problems, where, "ingest.http.maxBodyBytes", http.maxBodyBytes() > 0, "must be positive");
        var push = in.push();
        if (push.enabled()) {
            check(problems, where, "ingest.push.token", push.token() != null && push.token().length() >= 16,
                    "must be set, at least 16 characters, when the push endpoint is enabled (use OW_INGEST_PUSH_TOKEN)");
            check(problems, where, "ingest.push.host", notBlank(push.host()), "must be an address to listen on");
            checkPort(problems, where, "ingest.push.port", push.port());
            check(problems, where, "ingest.push.path", push.path() != null && push.path().startsWith("/"), "must start with /");
            check(problems, where, "ingest.push.maxBodyBytes", push.maxBodyBytes() > 0, "must be positive");
            check(problems, where, "ingest.push.maxBatch", push.maxBatch() > 0, "must be positive");
        }
        check(problems, where, "ingest.limits.earliest", in.limits().earliest() != null
                && !in.limits().earliest().isAfter(java.time.Instant.now()), "must be an instant in the past such as 2000-01-01T00:00:00Z");
        check(problems, where, "ingest.limits.maxSkew", in.limits().maxSkew() != null && !in.limits().maxSkew().isNegative()
                && in.limits().maxSkew().compareTo(Duration.ofHours(1)) <= 0,
                "must be a duration from PT0S to PT1H (the broker refuses records further ahead by default), such as PT5M");
        // One post at the largest the contract allows (its text alone 100,000 characters, up to 300 KB) must fit.
        check(problems, where, "ingest.delivery.maxBufferedBytes", in.delivery().maxBufferedBytes() >= 1024 * 1024,
                "must be at least 1048576 (1 MiB)");
        check(problems, where, "ingest.delivery.timeout", in.delivery().timeout() != null
                && in.delivery().timeout().compareTo(Duration.ofSeconds(1)) >= 0, "must be a duration of at least PT1S");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < in.sources().size(); i++) {
            var s = in.sources().get(i);
            String key = "ingest.sources[" + i + "]";
            check(problems, where, key + ".id", notBlank(s.id()) && s.id().matches("[A-Za-z0-9._-]+"), "must be letters, digits, '.', '_' or '-'");
            check(problems, where, key + ".id", s.id() == null || ids.add(s.id()), "'" + s.id() + "' is used twice");
            check(problems, where, key + ".type", "forum".equals(s.type()) || "feed".equals(s.type()), "must be forum or feed");
            check(problems, where, key + ".url", isHttpUrl(s.url()), "must be an absolute http or https URL");
            check(problems, where, key + ".pollEvery", positive(s.pollEvery()), "must be a positive duration such as PT5M");
            check(problems, where, key + ".recentThreads", s.recentThreads() > 0, "must be positive");
            try {
                java.time.ZoneId.of(s.zone());
            } catch (java.time.DateTimeException e) {
                problems.add(where.apply(key + ".zone") + " is not a time zone: " + s.zone());
            }
            if ("forum".equals(s.type())) {
                check(problems, where, key + ".engine", List.of("discuz", "phpbb", "custom").contains(s.engine()), "must be discuz, phpbb or custom");
                check(problems, where, key + ".profile", "custom".equals(s.engine()) == (s.profile() != null),
                        "is required with engine custom, and only then");
            }
        }
    }

    /**
     * Settings that the protocol does not use are refused rather than ignored: credentials given with PLAINTEXT would
     * otherwise be dropped, and the client refused by a secured cluster with no word about why.
     */
    private static void validateSecurity(OpinionWatchConfig.Security security, java.util.function.Function<String, String> where,
                                         List<String> problems) {
        var protocol = security.protocol();
        if (protocol == null) {
            problems.add(where.apply("kafka.security.protocol") + " must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
            return;
        }
        var sasl = security.sasl();
        if (protocol.sasl()) {
            check(problems, where, "kafka.security.sasl.mechanism", sasl.mechanism() != null && KafkaClients.mechanisms().contains(sasl.mechanism()),
                    "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with protocol " + protocol);
            check(problems, where, "kafka.security.sasl.username", notBlank(sasl.username()), "must be set with protocol " + protocol);
            check(problems, where, "kafka.security.sasl.password", notEmpty(sasl.password()),
                    "must be set with protocol " + protocol + " (use OW_KAFKA_SECURITY_SASL_PASSWORD)");
        } else {
            unused(problems, where, "kafka.security.sasl.", Map.of("mechanism", nullToEmpty(sasl.mechanism()),
                    "username", nullToEmpty(sasl.username()), "password", nullToEmpty(sasl.password())),
                    "is set, but protocol " + protocol + " sends no credentials: use SASL_PLAINTEXT or SASL_SSL");
        }
        var ssl = security.ssl();
        if (!protocol.tls()) {
            unused(problems, where, "kafka.security.ssl.", Map.of("truststoreLocation", nullToEmpty(ssl.truststoreLocation()),
                    "truststoreType", nullToEmpty(ssl.truststoreType()), "truststorePassword", nullToEmpty(ssl.truststorePassword()),
                    "keystoreLocation", nullToEmpty(ssl.keystoreLocation()), "keystoreType", nullToEmpty(ssl.keystoreType()),
                    "keystorePassword", nullToEmpty(ssl.keystorePassword()), "keyPassword", nullToEmpty(ssl.keyPassword())),
                    "is set, but protocol " + protocol + " does not use TLS: use SSL or SASL_SSL");
            return;
        }
        checkStore(problems, where, "truststore", nullToEmpty(ssl.truststoreLocation()), nullToEmpty(ssl.truststoreType()),
                nullToEmpty(ssl.truststorePassword()));
        checkStore(problems, where, "keystore", nullToEmpty(ssl.keystoreLocation()), nullToEmpty(ssl.keystoreType()),
                nullToEmpty(ssl.keystorePassword()));
        check(problems, where, "kafka.security.ssl.keyPassword", notEmpty(ssl.keystoreLocation()) || !notEmpty(ssl.keyPassword()),
                "is set, but kafka.security.ssl.keystoreLocation is empty");
    }

    /** Reports each key of {@code values} that is set, in key order: a setting the protocol would not use. */
    private static void unused(List<String> problems, java.util.function.Function<String, String> where, String prefix,
                               Map<String, String> values, String message) {
        new java.util.TreeMap<>(values).forEach((key, value) -> check(problems, where, prefix + key, value.isEmpty(), message));
    }

    /** A truststore or keystore: Kafka's own rules, checked here so that the message names the key. */
    private static void checkStore(List<String> problems, java.util.function.Function<String, String> where, String store,
                                   String location, String type, String password) {
        String key = "kafka.security.ssl." + store;
        check(problems, where, key + "Type", List.of("", "JKS", "PKCS12", "PEM").contains(type), "must be JKS, PKCS12 or PEM (empty: JKS)");
        if (location.isEmpty()) {
            check(problems, where, key + "Password", password.isEmpty(), "is set, but " + key + "Location is empty");
            return;
        }
        check(problems, where, key + "Location", isReadableFile(location), "names no readable file: " + location);
        if (type.equals("PEM")) {
            check(problems, where, key + "Password", password.isEmpty(), "must be empty for a PEM file"
                    + (store.equals("keystore") ? " (an encrypted key's password is kafka.security.ssl.keyPassword)" : ""));
        } else if (store.equals("keystore")) {
            check(problems, where, key + "Password", !password.isEmpty(),
                    "must be set with a JKS or PKCS12 keystore (use OW_KAFKA_SECURITY_SSL_KEYSTORE_PASSWORD)");
        }
    }

    /**
     * Shapes and references are checked here; that the secrets are there is checked when the notifier starts: the
     * other stages need not be given them.
     */
    private static void validateNotifier(OpinionWatchConfig.Notifier n, java.util.function.Function<String, String> where,
                                         Set<String> fromEnv, List<String> problems) {
        check(problems, where, "notifier.groupId", notBlank(n.groupId()), "must not be empty");
        n.webhooks().forEach((role, webhook) -> check(problems, where, "notifier.webhooks." + role.name() + ".url",
                webhook != null && isHttpUrl(webhook.url()), "must be an absolute http or https URL"));
        n.channels().forEach((name, channel) -> validateChannel(name, channel, where, fromEnv, problems));
        n.people().forEach((id, person) -> {
            String key = "notifier.people." + id;
            check(problems, where, key + ".name", person != null && notBlank(person.name()), "must name the person, as messages address them");
            if (person != null && notEmpty(person.email())) {
                check(problems, where, key + ".email", isMailAddress(person.email()), "must be an e-mail address such as zhang@example.edu");
            }
            if (person != null && notEmpty(person.mobile())) {
                check(problems, where, key + ".mobile", person.mobile().matches("\\+?[0-9-]{5,20}"), "must be a mobile number such as 13800000000");
            }
        });
        n.roles().forEach((role, team) -> {
            String key = "notifier.roles." + role.name();
            check(problems, where, key, team != null, "needs channels and, if it has one, a roster");
            if (team != null) {
                validateTeam(key, team.channels(), team.roster(), n, where, problems);
            }
        });
        Map<String, String> departmentOf = new java.util.HashMap<>();
        n.departments().forEach((id, department) -> {
            String key = "notifier.departments." + id;
            check(problems, where, key, id.matches("[A-Za-z][A-Za-z0-9_-]*"), "must be a name of letters, digits, '_' and '-'");
            check(problems, where, key + ".name", department != null && notBlank(department.name()), "must name the department, as messages do");
            if (department == null) {
                return;
            }
            check(problems, where, key + ".subjects", !department.subjects().isEmpty(), "must list the subjects (classifier.subjects ids) it answers for");
            for (String subject : department.subjects()) {
                String other = departmentOf.putIfAbsent(subject, id);
                check(problems, where, key + ".subjects", other == null, "names subject '" + subject + "', which department " + other
                        + " answers for already: a subject has one responsible department");
            }
            validateTeam(key, department.channels(), department.roster(), n, where, problems);
        });
        check(problems, where, "notifier.timeout", positive(n.timeout()), "must be a positive duration");
        check(problems, where, "notifier.initialBackoff", positive(n.initialBackoff()), "must be a positive duration");
        check(problems, where, "notifier.maxBackoff", positive(n.maxBackoff())
                && (n.initialBackoff() == null || n.maxBackoff().compareTo(n.initialBackoff()) >= 0),
                "must be a positive duration no shorter than notifier.initialBackoff");
        check(problems, where, "notifier.maxPending", n.maxPending() >= 1, "must be at least 1");
        checkPort(problems, where, "notifier.metricsPort", n.metricsPort());
    }

    /** A channel's keys by its type: what it needs, and nothing it would not use. */
    private static void validateChannel(String name, OpinionWatchConfig.Channel c, java.util.function.Function<String, String> where,
                                        Set<String> fromEnv, List<String> problems) {
        String key = "notifier.channels." + name;
        // The name becomes part of the variables of its secrets: officeWecom gives OW_NOTIFIER_CHANNELS_OFFICE_WECOM_TOKEN.
        check(problems, where, key, name.matches("[a-z][A-Za-z0-9]*"), "must be a name in camelCase (letters and digits, such as "
                + "officeWecom): its secrets come from OW_NOTIFIER_CHANNELS_<NAME>_TOKEN and the like");
        if (c == null) {
            problems.add(where.apply(key) + " needs a type: one of " + String.join(", ", CHANNEL_TYPES));
            return;
        }
        check(problems, where, key + ".type", CHANNEL_TYPES.contains(c.type()), "must be one of " + String.join(", ", CHANNEL_TYPES));
        for (String secret : CHANNEL_SECRETS) {
            String value = secret.equals("token") ? c.token() : secret.equals("secret") ? c.secret() : c.password();
            if (fromEnv != null && notEmpty(value)) {
                check(problems, where, key + "." + secret, fromEnv.contains(key + "." + secret),
                        "is a credential: give it in the environment as " + envName(key + "." + secret) + ", not in a file");
            }
        }
        check(problems, where, key + ".perMinute", c.perMinute() >= 0, "must not be negative (0: the service's own limit)");
        if (!CHANNEL_TYPES.contains(c.type())) {
            return;
        }
        boolean email = c.type().equals("email");
        Map<String, String> unused = new java.util.TreeMap<>();
        if (!email) {
            unused.put("host", nullToEmpty(c.host()));
            unused.put("security", nullToEmpty(c.security()));
            unused.put("username", nullToEmpty(c.username()));
            unused.put("password", nullToEmpty(c.password()));
            unused.put("from", nullToEmpty(c.from()));
            unused.put("truststore", nullToEmpty(c.truststore()));
            unused.put("to", String.join(",", c.to()));
            check(problems, where, key + ".port", c.port() == 0, "is set, but only an e-mail channel has a port");
            if (notEmpty(c.url()) || c.type().equals("webhook")) {
                check(problems, where, key + ".url", isHttpUrl(c.url()), "must be an absolute http or https URL");
            }
        } else {
            unused.put("url", nullToEmpty(c.url()));
            unused.put("token", nullToEmpty(c.token()));
            unused.put("secret", nullToEmpty(c.secret()));
        }
        switch (c.type()) {
            case "wecom" -> unused.put("secret", nullToEmpty(c.secret()));
            case "webhook" -> unused.put("token", nullToEmpty(c.token()));
            case "email" -> {
                check(problems, where, key + ".host", notBlank(c.host()), "must name the SMTP server");
                check(problems, where, key + ".port", c.port() >= 0 && c.port() <= 65535, "must be a port number (0: 587 with STARTTLS, 465 with SSL)");
                check(problems, where, key + ".security", c.security() == null || c.security().isEmpty() || List.of("STARTTLS", "SSL").contains(c.security()),
                        "must be STARTTLS (the default) or SSL: mail is never sent in the clear");
                check(problems, where, key + ".username", notBlank(c.username()), "must be set: the server must authenticate the notifier");
                check(problems, where, key + ".from", notBlank(c.from()) && isMailAddress(c.from()), "must be the sender's address, such as "
                        + "\"舆情监测 <ow@example.edu>\"");
                for (int i = 0; i < c.to().size(); i++) {
                    check(problems, where, key + ".to[" + i + "]", isMailAddress(c.to().get(i)), "must be an e-mail address");
                }
                if (notEmpty(c.truststore())) {
                    check(problems, where, key + ".truststore", isReadableFile(c.truststore()), "names no readable file: " + c.truststore());
                }
            }
            default -> { }
        }
        unused.forEach((k, value) -> check(problems, where, key + "." + k, value.isEmpty(), "is set, but a " + c.type() + " channel does not use it"));
    }

    /** A role's or a department's channels and roster: every name it uses must be configured. */
    private static void validateTeam(String key, List<String> channels, List<OpinionWatchConfig.Shift> roster, OpinionWatchConfig.Notifier n,
                                     java.util.function.Function<String, String> where, List<String> problems) {
        check(problems, where, key + ".channels", !channels.isEmpty(), "must name at least one channel of notifier.channels");
        for (String channel : channels) {
            check(problems, where, key + ".channels", n.channels().containsKey(channel), "names channel '" + channel
                    + "', which notifier.channels does not have (it has: " + String.join(", ", n.channels().keySet()) + ")");
        }
        for (int i = 0; i < roster.size(); i++) {
            var shift = roster.get(i);
            String line = key + ".roster[" + i + "]";
            check(problems, where, line, shift != null, "must be a line such as { people: [zhang], days: [MONDAY], from: \"08:00\", to: \"18:00\" }");
            if (shift == null) {
                continue;
            }
            for (String person : shift.people()) {
                check(problems, where, line + ".people", n.people().containsKey(person), "names '" + person + "', who is not in notifier.people");
            }
            check(problems, where, line + ".to", shift.from() == null || shift.to() == null || !shift.from().equals(shift.to()),
                    "must differ from from (leave both out for the whole day)");
            check(problems, where, line + ".end", shift.start() == null || shift.end() == null || !shift.end().isBefore(shift.start()),
                    "must not be before start");
        }
    }

    private static void validateLinks(OpinionWatchConfig.ActionLinks links, java.util.function.Function<String, String> where,
                                      Set<String> fromEnv, List<String> problems) {
        String key = "escalation.actions.links";
        check(problems, where, key + ".validFor", positive(links.validFor()), "must be a positive duration such as P3D");
        if (links.enabled()) {
            check(problems, where, key + ".baseUrl", isHttpUrl(links.baseUrl()) && !links.baseUrl().endsWith("/"),
                    "must be an absolute http or https URL without a trailing '/', such as https://ow.example.edu");
        }
        if (fromEnv != null && notEmpty(links.secret())) {
            check(problems, where, key + ".secret", fromEnv.contains(key + ".secret"),
                    "is a credential: give it in the environment as " + envName(key + ".secret") + ", not in a file");
        }
    }

    /** An address as {@code a@b} or {@code Name <a@b>}; the mail library checks the rest when it sends. */
    private static boolean isMailAddress(String address) {
        return address != null && address.matches("(?s)([^<>]*<)?[^@<>\\s]+@[^@<>\\s]+(>)?\\s*");
    }

    private static boolean isHttpUrl(String url) {
        try {
            var uri = new java.net.URI(url);
            return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    private static void checkPort(List<String> problems, java.util.function.Function<String, String> where, String key, int port) {
        check(problems, where, key, port >= 0 && port <= 65535, "must be a port number (0 for a free one)");
    }

    private static void check(List<String> problems, java.util.function.Function<String, String> where, String key, boolean ok, String message) {
        if (!ok) {
            problems.add(where.apply(key) + " " + message);
        }
    }

    private static boolean isZone(String zone) {
        try {
            java.time.ZoneId.of(zone);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code host} names this machine only; a name that does not resolve is not. */
    private static boolean isLoopback(String host) {
        try {
            return host != null && java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean isReadableFile(String location) {
        try {
            Path file = Path.of(location);
            return Files.isRegularFile(file) && Files.isReadable(file);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static boolean isAbsolutePath(String path) {
        try {
            return notBlank(path) && Path.of(path).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
