package org.opinionwatch.launcher.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.ingest.publish.PublishOrder;
import org.opinionwatch.launcher.pipeline.ConsumerLag;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.launcher.replay.ReplayProgress;
import org.opinionwatch.launcher.replay.Speed;
import org.opinionwatch.runtime.streams.StreamsSettings;

/**
 * Measures the pipeline against the ceilings beneath it, in one run, on one cluster, with one synthetic load: raw
 * Kafka producer to consumer, a pass-through Kafka Streams application with the stages' settings, the classifier,
 * and the end-to-end latency of classifier and escalation at several offered rates; and, when given one, a real
 * archive replayed beside them. Every phase has a topic namespace of its own (so application ids and internal topics
 * too), deleted when the phase ends.
 */
public final class Bench {
    /** A phase whose lag stops shrinking this long has failed; the bench says so rather than wait for ever. */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How often a Streams phase's lag is read: its end is known to within this and one read of the lag. */
    private static final Duration LAG_POLL = Duration.ofMillis(10);
    /** How long each latency phase first sends at its rate, timed apart from what it measures: the stages' start-up. */
    public static final int START_UP_SECONDS = 5;

    /**
     * @param posts snapshots in the load
     * @param ratePercents offered rates of the latency phase, as percentages of the pipeline's measured throughput
     * @param perRate how long each offered rate is kept up (less when the load runs out first)
     * @param overrides Kafka Streams settings applied on top of the stages' own, in every Streams phase alike
     */
    /**
     * @param repeats how many times each throughput phase runs, interleaved with the others (a warm-up run apart)
     * @param minPhase how long the pass-throughs are kept busy at least (by copying the load)
     * @param burst how long the burst phase sends one story's snapshots
     * @param archive an archive replayed in every round as {@code replay} runs it; null for none
     */
    public record Options(int posts, long seed, List<Integer> ratePercents, Duration perRate, Map<String, String> overrides, int repeats,
                          Duration minPhase, Duration burst, Archive archive) {
        public Options {
            ratePercents = List.copyOf(ratePercents);
            overrides = Map.copyOf(overrides);
        }
    }

    /** An archive to replay, as {@code replay --format --input} names one. */
    public record Archive(ArchiveFormat format, Path input) {
    }

    private final OpinionWatchConfig config;
    private final Options options;
    private final PrintStream out;
    private final Admin admin;
    private final Path stateRoot;
    private final String run;

    private Bench(OpinionWatchConfig config, Options options, PrintStream out, Admin admin, Path stateRoot) {
        this.config = config;
        this.options = options;
        this.out = out;
        this.admin = admin;
        this.stateRoot = stateRoot;
        this.run = "bench-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
                + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    /**
     * Runs every phase against the cluster of {@code config} and prints the report to {@code out}.
     *
     * @param clusterName how the report names the cluster (embedded, or the bootstrap address)
     */
    public static void run(OpinionWatchConfig config, String clusterName, Options options, PrintStream out) {
        SyntheticLoad load = SyntheticLoad.generate(config.classifier().subjects(), options.seed(), options.posts());
        Path stateRoot;
        try {
            stateRoot = Files.createTempDirectory("opinion-watch-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the bench", e);
        }
        try (Admin admin = Admin.create(KafkaClients.settings(config.kafka()))) {
            new Bench(config, options, out, admin, stateRoot).measure(load, clusterName).print(out);
        } finally {
            delete(stateRoot);
        }
    }

    private Report measure(SyntheticLoad load, String clusterName) {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        // Serialized once by the contract's serde, each to its incident's partition as ingest sends it: every phase
        // sends the very same bytes to the same partitions.
        int partitions = config.kafka().partitions();
        List<ProducerRecord<byte[], byte[]>> records = load.posts().stream()
                .map(p -> new ProducerRecord<byte[], byte[]>("", IncidentPartitions.of(p.rootId(), partitions), p.observedAt().toEpochMilli(),
                        Serdes.String().serializer().serialize("", p.id()), Topics.POST.serialize("", p)))
                .toList();
        out.printf("Generated %,d snapshots of %,d incidents (seed %d); bench namespace %s.*%n",
                records.size(), load.incidents(), options.seed(), run);
        // After the load is made: what the classifier adds to the heap is then its own (and its clients').
        long heapBefore = heapUsedAfterGc();

        out.println("1/6 raw producer -> consumer...");
        // The first phase runs on a cold JVM, broker included: a first copy warms it up, the second is measured.
        inNamespace("warm-up", c -> rawCeiling(c, records));
        Raw raw = inNamespace("raw", c -> rawCeiling(c, records));
        // Each Streams phase runs once to warm up (on two cores the compiler takes much of the machine during a cold
        // classifier run), then the measured runs, interleaved, so that the machine's noise falls on all alike. The
        // pass-throughs copy the load as many times as keeps them busy for the minimum phase.
        out.printf("2/6 warm-up: pass-through Kafka Streams of bytes and of posts as JSON, the classifier, the pipeline...%n");
        PassThroughInput input = new PassThroughInput(config.inNamespace(run + "-pass-through-input."), records);
        try {
            return measure(load, clusterName, loadBefore, heapBefore, records, raw, input);
        } finally {
            deleteNamespace(input.config().topicNames().prefix(), List.of());
        }
    }

    /**
     * The pass-throughs' input, loaded once and read by every pass-through run (each with an application id of its own):
     * the load copied as many times as keeps a pass-through busy for the minimum phase.
     */
    private final class PassThroughInput {
        private final OpinionWatchConfig config;
        private final List<ProducerRecord<byte[], byte[]>> load;
        private final String topic;
        private int copies;

        PassThroughInput(OpinionWatchConfig config, List<ProducerRecord<byte[], byte[]>> load) {
            this.config = config;
            this.load = load;
            this.topic = config.topicNames().postsRaw().name();
            createTopics(List.of(topic));
            TopicSetup.awaitServed(admin, List.of(topic));
            growTo(1);
        }

        OpinionWatchConfig config() {
            return config;
        }

        int records() {
            return load.size() * copies;
        }

        /** Copies enough to keep a pass-through that ran at {@code run}'s rate busy for the minimum phase, with a margin. */
        void growFor(Report.Throughput run) {
            growTo((int) Math.ceil(options.minPhase().toNanos() / 1e9 * run.perSecond() * 1.6 / load.size()));
        }

        private void growTo(int wanted) {
            for (; copies < wanted; copies++) {
                produce(topic, load);
            }
        }
    }

    private Report measure(SyntheticLoad load, String clusterName, double loadBefore, long heapBefore,
                           List<ProducerRecord<byte[], byte[]>> records, Raw raw, PassThroughInput input) {
        // Warmed up twice: a cold pass-through runs several times slower than a warm one, and the input is sized on
        // the second, warm run.
        for (int warmUp = 1; warmUp <= 2; warmUp++) {
            input.growFor(inNamespace("pass-through-warm-up-" + warmUp, c -> passThrough(c, input, Serdes.ByteArray())));
            input.growFor(inNamespace("json-pass-through-warm-up-" + warmUp, c -> passThrough(c, input, Topics.POST)));
        }
        inNamespace("classifier-warm-up", c -> classifier(c, records, heapBefore));
        inNamespace("pipeline-warm-up", c -> pipeline(c, records));
        if (options.archive() != null) {
            replays("archive-warm-up");
        }
        List<Report.Throughput> bare = new ArrayList<>();
        List<Report.Throughput> json = new ArrayList<>();
        List<Report.Throughput> classifierRuns = new ArrayList<>();
        List<Report.Throughput> pipelineRuns = new ArrayList<>();
        List<Report.Replayed> replays = new ArrayList<>();
        Classified classifier = null;
        Report.Writes escalationWrites = null;
        for (int round = 1; round <= options.repeats(); round++) {
            out.printf("3/6 measured run %d of %d: pass-through and JSON pass-through (%,d records each), classifier, pipeline%s...%n",
                    round, options.repeats(), input.records(), options.archive() == null ? "" : ", the archive's replay");
            String r = "-" + round;
            bare.add(inNamespace("pass-through" + r, c -> passThrough(c, input, Serdes.ByteArray())));
            json.add(inNamespace("json-pass-through" + r, c -> passThrough(c, input, Topics.POST)));
            Classified run = inNamespace("classifier" + r, c -> classifier(c, records, heapBefore));
            classifier = classifier == null ? run : classifier;
            classifierRuns.add(run.throughput());
            Pipelined piped = inNamespace("pipeline" + r, c -> pipeline(c, records));
            escalationWrites = escalationWrites == null ? piped.escalationWrites() : escalationWrites;
            pipelineRuns.add(piped.throughput());
            if (options.archive() != null) {
                replays.add(replays("archive" + r));
            }
        }
        // The same load again, published in event-time order to a classifier already running: what the classifier
        // decides must not depend on how the partitions' posts arrive.
        out.println("4/6 classifier again, the load published in event-time order as it runs...");
        Decided inTimeOrder = inNamespace("classifier-time-order", c -> classifierAsPublished(c, records));
        List<Report.Latency> latencies = new ArrayList<>();
        Report.Repeated classified = new Report.Repeated(classifierRuns);
        Report.Repeated pipelined = new Report.Repeated(pipelineRuns);
        // Shares of what the stages running here sustain together: a share of the classifier's rate alone can be more
        // than the pipeline takes, and then the figure is of a queue that grows as long as the phase lasts.
        for (int percent : options.ratePercents()) {
            double rate = pipelined.median() * percent / 100;
            out.printf("5/6 end-to-end latency at %d%% of the pipeline's throughput (%.0f snapshots/s)...%n", percent, rate);
            latencies.add(inNamespace("e2e-" + percent, c -> latency(c, load.posts(), percent, rate)));
        }
        double burstRate = classified.median() * Report.BURST_PERCENT / 100;
        out.printf("6/6 a burst: one story at %d%% of the classifier's throughput (%.0f snapshots/s) for %d s...%n",
                Report.BURST_PERCENT, burstRate, options.burst().toSeconds());
        Report.Latency burst = inNamespace("burst", c -> burst(c, burstRate));
        var machine = new Report.Machine(Runtime.getRuntime().availableProcessors(), loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version().toString(),
                Runtime.getRuntime().maxMemory());
        return new Report(machine, clusterName, config.kafka().partitions(), options.overrides(), load, options.seed(),
                fingerprint(records), raw.copy(), raw.produceOnly(), new Report.Repeated(bare), new Report.Repeated(json), classified,
                pipelined, classifier.footprint(), escalationWrites,
                new Report.Arrival(inTimeOrder.changes(), classifier.decided().changes(), inTimeOrder.late(), classifier.decided().late()),
                latencies, burst, options.archive() == null ? null
                        : new Report.Replays(options.archive().format().id(), options.archive().input().toString(), replays));
    }

    /** The load's records as sent and the Streams settings of every phase, each hashed. */
    private Report.Fingerprint fingerprint(List<ProducerRecord<byte[], byte[]>> records) {
        java.security.MessageDigest load = sha256();
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(Integer.BYTES + Long.BYTES);
        for (ProducerRecord<byte[], byte[]> r : records) {
            header.clear();
            load.update(header.putInt(r.partition()).putLong(r.timestamp()).array());
            load.update(r.key());
            load.update(r.value());
        }
        Properties settings = StreamsSettings.base(config, "bench");
        settings.putAll(options.overrides());
        // Where the run happens (the embedded broker's port, a temporary directory) is not how it runs.
        settings.remove(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        settings.remove(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG);
        java.security.MessageDigest streams = sha256();
        new java.util.TreeMap<>(settings).forEach((k, v) -> streams.update((k + "=" + v + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new Report.Fingerprint(hex(load.digest()), hex(streams.digest()));
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** The first 12 hexadecimal digits: enough to tell two loads or settings apart at a glance. */
    private static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest).substring(0, 12);
    }

    /** The raw copy, and the producer's part of it alone. */
    private record Raw(Report.Throughput copy, Duration produceOnly) {
    }

    private record Classified(Report.Throughput throughput, Report.Footprint footprint, Decided decided) {
    }

    /**
     * What a classifier phase decided: its severity changes, each as "incident from->to@instant", in the order of
     * the incidents.severity topic's partitions; and the increments it counted as too late for their windows.
     */
    private record Decided(List<String> changes, long late) {
    }

    /** A pipeline run, and what the escalation wrote in it. */
    private record Pipelined(Report.Throughput throughput, Report.Writes escalationWrites) {
    }

    /** Runs a phase in a namespace of its own, then deletes the namespace's topics and consumer groups. */
    private <T> T inNamespace(String phase, Function<OpinionWatchConfig, T> body) {
        String prefix = run + "-" + phase + ".";
        OpinionWatchConfig c = config.inNamespace(prefix);
        try {
            return body.apply(c);
        } finally {
            deleteNamespace(prefix, List.of(c.classifier().applicationId(), c.escalation().applicationId(), prefix + "pass-through"));
        }
    }

    // ---- 1: raw producer -> consumer ----

    /** A producer sends every record while a consumer reads them: the rate of the whole copy. */
    private Raw rawCeiling(OpinionWatchConfig c, List<ProducerRecord<byte[], byte[]>> records) {
        String topic = c.topicNames().postsRaw().name();
        createTopics(List.of(topic));
        TopicSetup.awaitServed(admin, List.of(topic));
        Map<String, Object> settings = KafkaClients.settings(config.kafka());
        try (var consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = producer()) {
            // Both connected and positioned before the clock starts.
            producer.partitionsFor(topic);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(consumer::position);
            long started = System.nanoTime();
            CompletableFuture<Duration> producing = CompletableFuture.supplyAsync(() -> send(producer, topic, records));
            int received = 0;
            long lastProgress = System.nanoTime();
            while (received < records.size()) {
                int n = consumer.poll(Duration.ofMillis(100)).count();
                received += n;
                if (n > 0) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("the raw consumer received " + received + " of " + records.size() + " records");
                }
            }
            Duration busy = Duration.ofNanos(System.nanoTime() - started);
            return new Raw(new Report.Throughput(records.size(), Duration.ZERO, busy, false), producing.join());
        }
    }

    // ---- 2: pass-through Streams ----

    /**
     * Copies posts.raw to another topic, its values through {@code values}: as bytes, the issue's bare baseline; as the
     * contract's post serde, what reading and writing a post's JSON alone costs, which any stage that looks into a
     * post pays.
     */
    private <V> Report.Throughput passThrough(OpinionWatchConfig c, PassThroughInput input, Serde<V> values) {
        String in = input.topic;
        String outTopic = c.topicNames().prefix() + "pass-through.out";
        createTopics(List.of(outTopic));
        TopicSetup.awaitServed(admin, List.of(outTopic));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.ByteArray(), values))
                .to(outTopic, Produced.with(Serdes.ByteArray(), values));
        String applicationId = c.topicNames().prefix() + "pass-through";
        long started = System.nanoTime();
        KafkaStreams streams = StreamsSettings.start(builder.build(), StreamsSettings.base(c, applicationId), overrides("pass-through"));
        try {
            return drain(streams, applicationId, List.of(in), input.records(), started);
        } finally {
            close(streams);
        }
    }

    // ---- 3: classifier ----

    /** The load in posts.raw before a stage starts, as after downtime, with ingest's heartbeat behind it. */
    private void loadBacklog(OpinionWatchConfig c, List<ProducerRecord<byte[], byte[]>> records) {
        // The records carry 2024 timestamps, which time-based retention would delete at once.
        TopicSetup.create(c, true);
        produce(c.topicNames().postsRaw().name(), records);
        produce(c.topicNames().postsRaw().name(), heartbeats(c, lastTime(records).plusMillis(1)));
    }

    private Classified classifier(OpinionWatchConfig c, List<ProducerRecord<byte[], byte[]>> records, long heapBefore) {
        Topics topics = c.topicNames();
        loadBacklog(c, records);
        String applicationId = c.classifier().applicationId();
        // The stage's meters are part of its work: measured with them, as it runs.
        try (StageMetrics metrics = StageMetrics.start(c, false)) {
            long started = System.nanoTime();
            KafkaStreams streams = Classifier.start(c, overrides("classifier"), metrics.classifier());
            Report.Throughput throughput;
            long heap;
            Report.Writes writes;
            try {
                throughput = drain(streams, applicationId,
                        ClassifierTopology.readTopics(c), records.size(), started);
                heap = heapUsedAfterGc();
                writes = writesIn(topics.prefix(), applicationId, t -> !t.equals(topics.postsRaw().name()));
            } catch (RuntimeException e) {
                close(streams);
                throw e;
            }
            // RocksDB keeps recent writes in memtables; closing flushes them to files, so the directory is then the state.
            leave(streams);
            long stateBytes = sizeOf(stateRoot.resolve("classifier"));
            streams.cleanUp();
            return new Classified(throughput, footprint(c, heapBefore, heap, stateBytes, writes), decided(c, metrics));
        }
    }

    // ---- 3c: the whole pipeline ----

    /**
     * Classifier and escalation side by side on the loaded posts, as a replay runs them: timed from the classifier's
     * first commit on posts.raw until both have nothing left to read (the escalation's notifications written).
     */
    private Pipelined pipeline(OpinionWatchConfig c, List<ProducerRecord<byte[], byte[]>> records) {
        loadBacklog(c, records);
        Properties overrides = overrides("pipeline");
        TopicSetup.ANY_TIMESTAMP.forEach((key, value) -> overrides.put(StreamsConfig.topicPrefix(key), value));
        try (StageMetrics metrics = StageMetrics.start(c, false)) {
            long started = System.nanoTime();
            KafkaStreams classifier = Classifier.start(c, overrides, metrics.classifier());
            KafkaStreams escalation = Escalation.start(c, overrides, metrics.escalation());
            try {
                Report.Throughput classified = drain(classifier, c.classifier().applicationId(), ClassifierTopology.readTopics(c),
                        records.size(), started);
                long classifiedAt = System.nanoTime();
                long classifierCpuThen = streamThreadsCpu(c.classifier().applicationId());
                new ConsumerLag(admin).awaitZero(c.escalation().applicationId(), EscalationTopology.readTopics(c), STALL,
                        () -> alive(escalation), remaining -> { }, LAG_POLL);
                Duration after = Duration.ofNanos(System.nanoTime() - classifiedAt);
                // Both stages' stream threads: the classifier's from its first commit, the escalation's from its start
                // (it has nothing to read before the classifier's first commit).
                long escalationCpu = streamThreadsCpu(c.escalation().applicationId());
                long cpu = classified.cpuNanos() + streamThreadsCpu(c.classifier().applicationId()) - classifierCpuThen + escalationCpu;
                // The escalation's own topics and the outputs only it writes.
                Topics topics = c.topicNames();
                String escalationId = c.escalation().applicationId();
                Set<String> outputs = Set.of(topics.notifications().name(), topics.tracking().name(), topics.actions().name());
                Report.Writes writes = writesIn(topics.prefix(), escalationId, t -> t.startsWith(escalationId + "-") || outputs.contains(t));
                return new Pipelined(new Report.Throughput(classified.records(), classified.startup(), classified.busy().plus(after),
                        classified.fromFirstCommit(), cpu, escalationCpu), writes);
            } finally {
                close(classifier);
                close(escalation);
            }
        }
    }

    // ---- 3d: an archive's replay ----

    /**
     * The archive replayed as many times, one after the other, as keeps a run busy for the minimum phase, as the
     * pass-throughs copy their load: a replay of the CED takes about 10 s in a warm JVM, of a small archive a few.
     */
    private Report.Replayed replays(String phase) {
        return replayedFor(options.minPhase(), n -> inNamespace(n == 1 ? phase : phase + "-" + n, this::replay));
    }

    /** One run of phase 3d: {@code replay} (given each replay's number, from 1) again until the replays have lasted {@code minimum}. */
    static Report.Replayed replayedFor(Duration minimum, java.util.function.IntFunction<Report.Replayed> replay) {
        Report.Replayed run = replay.apply(1);
        for (int more = 2; run.throughput().busy().compareTo(minimum) < 0; more++) {
            run = run.and(replay.apply(more));
        }
        return run;
    }

    /**
     * The archive replayed as {@code replay --publish-order partition} replays it, through the same code, in this JVM on
     * this cluster with the stages' own settings: from the archive's read and the stages' start beside it to every
     * output read, the stages' stream threads' processor time over all of it. The JVM's start and exit, and an embedded
     * broker's, are not in it. The events are hashed as {@code --output} writes them.
     */
    private Report.Replayed replay(OpinionWatchConfig c) {
        try (StageMetrics metrics = StageMetrics.start(c, false)) {
            return Replay.run(c, options.archive().format(), options.archive().input(), Speed.MAX, PublishOrder.PARTITION,
                    ReplayProgress.SILENT, metrics, Replay.Stages.UP, result -> {
                        long cpu = streamThreadsCpu(c.classifier().applicationId()) + streamThreadsCpu(c.escalation().applicationId());
                        int snapshots = (int) result.ingest().published();
                        Report.Throughput time = new Report.Throughput(snapshots, Duration.ZERO, result.wallTime(), false, cpu);
                        return new Report.Replayed(snapshots, time, result.events().size(), List.of(fileHash(result.events())));
                    });
        }
    }

    /** The hash of the file {@code replay --output} writes of {@code events}. */
    private static String fileHash(List<OutputEvent> events) {
        java.security.MessageDigest file = sha256();
        try {
            Replay.writeJsonLines(events, new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(file.digest());
    }

    /** The classifier started first, then the load published in event-time order (as ingest would, live). */
    private Decided classifierAsPublished(OpinionWatchConfig c, List<ProducerRecord<byte[], byte[]>> records) {
        TopicSetup.create(c, true);
        try (StageMetrics metrics = StageMetrics.start(c, false)) {
            long started = System.nanoTime();
            KafkaStreams streams = Classifier.start(c, overrides("classifier-time-order"), metrics.classifier());
            try {
                awaitRunning(streams, started);
                publishInTimeOrder(c, records);
                new ConsumerLag(admin).awaitZero(c.classifier().applicationId(), ClassifierTopology.readTopics(c), STALL,
                        () -> alive(streams), remaining -> { }, LAG_POLL);
                return decided(c, metrics);
            } finally {
                close(streams);
            }
        }
    }

    /**
     * The load as live ingest sends it: each hour of its event time, then a heartbeat on every partition of posts.raw
     * (sent once the posts before it are acknowledged), and a last heartbeat after the last post.
     */
    private void publishInTimeOrder(OpinionWatchConfig c, List<ProducerRecord<byte[], byte[]>> records) {
        Topics topics = c.topicNames();
        try (var producer = producer()) {
            int from = 0;
            while (from < records.size()) {
                long hourEnd = records.get(from).timestamp() + Duration.ofHours(1).toMillis();
                int to = from;
                while (to < records.size() && records.get(to).timestamp() < hourEnd) {
                    to++;
                }
                send(producer, topics.postsRaw().name(), records.subList(from, to));
                send(producer, topics.postsRaw().name(), heartbeats(c, Instant.ofEpochMilli(to < records.size() ? records.get(to).timestamp()
                        : records.get(to - 1).timestamp() + 1)));
                from = to;
            }
        }
    }

    /** A heartbeat at {@code at} for every partition of posts.raw, as ingest sends them: behind the posts before it. */
    private static List<ProducerRecord<byte[], byte[]>> heartbeats(OpinionWatchConfig c, Instant at) {
        byte[] heartbeat = Topics.HEARTBEAT.serialize("", new Heartbeat(at, "bench"));
        return java.util.stream.IntStream.range(0, c.kafka().partitions())
                .mapToObj(p -> new ProducerRecord<byte[], byte[]>("", p, at.toEpochMilli(), null, heartbeat)).toList();
    }

    private static Instant lastTime(List<ProducerRecord<byte[], byte[]>> records) {
        return Instant.ofEpochMilli(records.stream().mapToLong(ProducerRecord::timestamp).max().orElse(0));
    }

    private Decided decided(OpinionWatchConfig c, StageMetrics metrics) {
        Topics topics = c.topicNames();
        List<String> changes = OutputReader.readAll(config.kafka(), topics.prefix(), List.of(topics.severity())).stream()
                .map(e -> e.key() + " " + e.event().path("from").asText() + "->" + e.event().path("to").asText() + "@" + e.event().path("at").asText())
                .toList();
        Counter late = metrics.classifier().registry().find("classifier.increments.late").counter();
        return new Decided(changes, late == null ? 0 : Math.round(late.count()));
    }

    /** What the classifier decided: incidents keyed and open, severity changes. */
    private Report.Footprint footprint(OpinionWatchConfig c, long heapBefore, long heap, long stateBytes, Report.Writes writes) {
        Topics topics = c.topicNames();
        Map<String, Level> latest = new HashMap<>();
        int changes = 0;
        int majorOrCritical = 0;
        for (OutputEvent e : OutputReader.readAll(config.kafka(), topics.prefix(),
                List.of(topics.incidents(), topics.severity()))) {
            Level level = Level.valueOf(e.event().path(e.topic().equals("incidents") ? "level" : "to").asText());
            if (e.topic().equals("incidents")) {
                latest.put(e.key(), level);
            } else {
                changes++;
                majorOrCritical += level.compareTo(Level.MAJOR) >= 0 ? 1 : 0;
            }
        }
        int open = (int) latest.values().stream().filter(l -> l != Level.NONE).count();
        return new Report.Footprint(heapBefore, heap, stateBytes, latest.size(), open, changes, majorOrCritical, writes);
    }

    /**
     * What a stage wrote to the topics of its namespace that {@code written} selects (full names): the end offsets, so
     * records and the transaction markers of exactly-once commits alike, by topic, named without the namespace and,
     * for its internal topics, without its application id.
     */
    private Report.Writes writesIn(String prefix, String applicationId, Predicate<String> written) {
        try {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix) && written.test(t)).toList();
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<String, Long> byTopic = new java.util.TreeMap<>();
            String app = applicationId.substring(prefix.length()) + "-";
            for (var e : admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS).entrySet()) {
                String topic = e.getKey().topic().substring(prefix.length());
                byTopic.merge(topic.startsWith(app) ? topic.substring(app.length()) : topic, e.getValue().offset(), Long::sum);
            }
            return new Report.Writes(byTopic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting the writes of " + applicationId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot count the writes of " + applicationId + ": " + e.getMessage(), e);
        }
    }

    // ---- 4: end-to-end latency ----

    /**
     * Classifier and escalation run; a sender paces the load's first snapshots at {@code rate}, each stamped
     * observedAt = now as live ingest would, while a probe reads incidents.severity. The first {@link #START_UP_SECONDS} of
     * them (at most half the load) are the stages' start-up, timed apart.
     */
    private Report.Latency latency(OpinionWatchConfig c, List<Post> posts, int percent, double rate) {
        int startUp = (int) Math.min(posts.size() / 2, Math.round(rate * START_UP_SECONDS));
        int count = (int) Math.max(1, Math.min(posts.size() - startUp, Math.round(rate * options.perRate().toSeconds())));
        return live(c, "e2e-" + percent, posts.subList(0, startUp), posts.subList(startUp, startUp + count), percent, rate);
    }

    /**
     * One story going viral ({@link SyntheticLoad#burst}) at {@link Report#BURST_PERCENT} of the classifier's
     * throughput for {@code --burst-seconds}: all of it one partition's and one stream thread's work. Its comments
     * reach the CRITICAL threshold near the end, when a backlog, if any, is longest. It starts on stages just
     * started, start-up and all: a story can go viral at any time.
     */
    private Report.Latency burst(OpinionWatchConfig c, double rate) {
        int count = (int) Math.max(1, Math.round(rate * options.burst().toSeconds()));
        long critical = c.classifier().thresholds().critical().comments();
        return live(c, "burst", List.of(), SyntheticLoad.burst(c.classifier().subjects(), options.seed(), count, critical + critical / 10),
                Report.BURST_PERCENT, rate);
    }

    /**
     * Classifier and escalation run on fresh topics; a sender paces {@code startUp}, then {@code posts} at
     * {@code rate}, each stamped observedAt = now as live ingest would, while a probe reads incidents.severity; then
     * how long the classifier takes to have nothing left to read. The changes of the start-up's snapshots are timed
     * apart: a stage's first transactions after it starts wait for the broker (below).
     */
    private Report.Latency live(OpinionWatchConfig c, String phase, List<Post> startUp, List<Post> posts, int percent, double rate) {
        Topics topics = c.topicNames();
        TopicSetup.create(c, false);
        long started = System.nanoTime();
        StageMetrics metrics = StageMetrics.start(c, false);
        KafkaStreams classifier = Classifier.start(c, overrides(phase), metrics.classifier());
        KafkaStreams escalation = Escalation.start(c, overrides(phase), metrics.escalation());
        Properties producer = KafkaClients.properties(config.kafka());
        try (metrics;
             PostPublisher publisher = new PostPublisher(topics, producer, PostBounds.archive(c.ingest().limits()), c.ingest().delivery());
             SeverityProbe probe = SeverityProbe.start(config.kafka(), topics.severity().name())) {
            awaitRunning(classifier, started);
            awaitRunning(escalation, started);
            // A heartbeat through both stages: every task is assigned and its transactions begun before timing starts.
            publisher.heartbeat(Instant.now(), "bench");
            publisher.flush();
            new ConsumerLag(admin).awaitZero(c.classifier().applicationId(), List.of(topics.postsRaw().name()), STALL, () -> alive(classifier));
            new ConsumerLag(admin).awaitZero(c.escalation().applicationId(), List.of(topics.timeline().name()), STALL, () -> alive(escalation));

            // The stages' first seconds of work: their first transactions on each partition wait for the broker
            // (CONCURRENT_TRANSACTIONS, retried after the producer's back-off) for up to about two seconds. Then a
            // pause until the classifier has decided them, so that what is measured next is the stages at work.
            Map<String, Instant> published = new HashMap<>();
            Timer decided = metrics.classifier().registry().get("classifier.severity.latency").timer();
            if (!startUp.isEmpty()) {
                send(c, publisher, startUp, rate, published);
                awaitClassified(c, publisher, classifier);
            }
            HistogramSnapshot decidedBefore = decided.takeSnapshot();
            // In milliseconds, as a post's observedAt travels: the first snapshot may be sent within the same one.
            Instant measuredFrom = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long first = System.nanoTime();
            send(c, publisher, posts, rate, published);
            long last = System.nanoTime();
            double achieved = posts.size() / Report.seconds(Duration.ofNanos(last - first));
            awaitClassified(c, publisher, classifier);
            Duration drained = Duration.ofNanos(System.nanoTime() - last);
            // Each change by the observation that caused it: the start-up's, or the measured span's.
            Map<Boolean, List<SeverityProbe.Timed>> byStartUp = probe.drain(STALL).stream()
                    .collect(Collectors.partitioningBy(t -> t.observedAt().isBefore(measuredFrom)));
            List<SeverityProbe.Timed> measured = byStartUp.get(false);
            // The classifier's own figure for the same rises (its metric, docs/operating.md): up to its decision, before
            // the commit that lets readers see it, so the two tell apart where the time goes.
            return new Report.Latency(percent, rate, achieved, posts.size(), measured.stream().map(SeverityProbe.Timed::latency).toList(),
                    (int) measured.stream().filter(SeverityProbe.Timed::majorOrCritical).count(), drained,
                    Report.since(decidedBefore, decided.takeSnapshot()), startUp.size(),
                    byStartUp.get(true).stream().map(SeverityProbe.Timed::latency).toList());
        } finally {
            close(classifier);
            close(escalation);
        }
    }

    /**
     * Paces {@code posts} at {@code rate}, each observed now (first published at its first observation), with live
     * ingest's heartbeat at its default pace: what came before it is then decided in every task.
     */
    private static void send(OpinionWatchConfig c, PostPublisher publisher, List<Post> posts, double rate, Map<String, Instant> published) {
        long interval = Math.round(1e9 / rate);
        long first = System.nanoTime();
        long heartbeat = first;
        for (int i = 0; i < posts.size(); i++) {
            long wait = first + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() - heartbeat >= c.ingest().heartbeatEvery().toNanos()) {
                heartbeat = System.nanoTime();
                publisher.heartbeat(Instant.now(), "bench");
            }
            Post p = posts.get(i);
            Instant now = Instant.now();
            publisher.publish(new Post(p.id(), p.source(), p.url(), p.title(), p.text(), p.author(),
                    published.computeIfAbsent(p.id(), id -> now), now, p.engagement(), p.mainstream(), p.repostOf()));
        }
    }

    /** A heartbeat behind what was sent, then until the classifier has nothing left to read. */
    private void awaitClassified(OpinionWatchConfig c, PostPublisher publisher, KafkaStreams classifier) {
        publisher.heartbeat(Instant.now(), "bench");
        publisher.flush();
        new ConsumerLag(admin).awaitZero(c.classifier().applicationId(),
                ClassifierTopology.readTopics(c), STALL, () -> alive(classifier), remaining -> { }, LAG_POLL);
    }

    // ---- helpers ----

    /** The bench's own state directory per phase, so that it can be measured and deleted; then the user's overrides. */
    private Properties overrides(String phase) {
        Properties p = new Properties();
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(phase).toString());
        p.putAll(options.overrides());
        return p;
    }

    /**
     * Waits until the application has processed everything on {@code topics} (the first is the input), and times
     * the steady state: from its first commit on the input to zero lag, over the records left then. Start-up
     * (internal topics, transactions, restoring) is not throughput, and a stream thread begins on its tasks before
     * the application as a whole is RUNNING, so that timing from RUNNING counted too little or too much. A phase so
     * short that its first commit covers the whole input is timed from its start instead, and says so; its processor
     * time is then its stream threads' whole time, start-up included, as its duration is.
     */
    private Report.Throughput drain(KafkaStreams streams, String applicationId, List<String> topics, int records, long started) {
        ConsumerLag lag = new ConsumerLag(admin);
        long[] inputLag = new long[1];
        await(streams, started, "its first commit",
                () -> (inputLag[0] = ConsumerLag.total(lag.of(applicationId, topics.subList(0, 1)))) < records);
        long firstCommit = System.nanoTime();
        long cpuAtFirstCommit = streamThreadsCpu(applicationId);
        lag.awaitZero(applicationId, topics, STALL, () -> alive(streams), remaining -> { }, LAG_POLL);
        long end = System.nanoTime();
        long cpu = streamThreadsCpu(applicationId);
        return inputLag[0] > 0
                ? new Report.Throughput((int) inputLag[0], Duration.ofNanos(firstCommit - started), Duration.ofNanos(end - firstCommit), true,
                        cpu - cpuAtFirstCommit)
                : new Report.Throughput(records, Duration.ZERO, Duration.ofNanos(end - started), false, cpu);
    }

    /**
     * Processor time so far of the application's stream threads (named {@code <application id>-<process id>-StreamThread-n}):
     * the stage's own work, apart from the embedded broker and the other clients in this JVM.
     */
    private static long streamThreadsCpu(String applicationId) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(applicationId + "-") && t.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    private static void awaitRunning(KafkaStreams streams, long started) {
        await(streams, started, "RUNNING", () -> streams.state() == KafkaStreams.State.RUNNING);
    }

    /** Waits until {@code done} ({@code what} is reached), failing if the application stops first or {@link #START_TIMEOUT} passes from {@code started}. */
    private static void await(KafkaStreams streams, long started, String what, BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (!alive(streams)) {
                throw new IllegalStateException("a Kafka Streams application stopped before reaching " + what + ": " + streams.state());
            }
            if (System.nanoTime() - started > START_TIMEOUT.toNanos()) {
                throw new IllegalStateException("a Kafka Streams application has not reached " + what + " after " + START_TIMEOUT.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static boolean alive(KafkaStreams streams) {
        KafkaStreams.State s = streams.state();
        return s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR && s != KafkaStreams.State.NOT_RUNNING;
    }

    /** Closes the application and deletes its local state. */
    private static void close(KafkaStreams streams) {
        leave(streams);
        streams.cleanUp();
    }

    /** Leaves the group on close, so that the phase's consumer group is empty and can be deleted at once. */
    private static void leave(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    /** A producer with the settings of PostPublisher: idempotent, acknowledged by all replicas, lz4, 64 KiB batches after 10 ms. */
    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(KafkaClients.settings(config.kafka(), Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Pre-loads a phase's input. */
    private void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        try (var producer = producer()) {
            send(producer, topic, records);
        }
    }

    /** Sends {@code records} to {@code topic}; returns the time until all are acknowledged. */
    private static Duration send(KafkaProducer<byte[], byte[]> producer, String topic, List<ProducerRecord<byte[], byte[]>> records) {
        long started = System.nanoTime();
        try {
            List<Future<?>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value())));
            }
            producer.flush();
            for (var s : sent) {
                s.get(); // a failed send fails the phase
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Topics as the pipeline's: the configured partitions, and kept regardless of their records' (historical) age. */
    private void createTopics(List<String> names) {
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, config.kafka().partitions(), config.kafka().replicationFactor())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))).toList();
        await(admin.createTopics(topics).all(), "create " + names);
    }

    private void deleteNamespace(String prefix, List<String> groups) {
        try {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(prefix)).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            List<String> existing = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(g -> g.groupId()).filter(groups::contains).toList();
            admin.deleteConsumerGroups(existing).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Left-overs of a bench are not worth failing its report for; say what to delete by hand.
            out.println("Could not delete the bench topics " + prefix + "* or their groups: " + e.getMessage());
        }
    }

    private static void await(KafkaFuture<Void> future, String what) {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }

    private static void delete(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
