package org.opinionwatch.launcher.bench;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one bench run measured, and the table it prints: absolute figures, and the ratios between them that stay
 * meaningful on a shared, noisy machine where the absolute figures do not.
 */
record Report(Machine machine, String cluster, int partitions, Map<String, String> overrides, SyntheticLoad load, long seed,
              Fingerprint fingerprint, Throughput raw, Duration rawProduceOnly, Repeated passThrough, Repeated jsonPassThrough,
              Repeated classifier, Repeated pipeline, Footprint footprint, Writes escalationWrites, Arrival arrival,
              List<Latency> latencies, Latency burst, Replays replays) {

    /** The target for the classifier: at least half the throughput of the JSON pass-through, which reads and writes every post. */
    static final double CLASSIFIER_TARGET = 0.5;
    /** The target for the whole pipeline (classifier and escalation, posts.raw to notifications), against the same. */
    static final double PIPELINE_TARGET = 0.3;
    /** Every measured phase runs at least this long, so that start-up and the last commit are a small part of it. */
    static final Duration MIN_PHASE = Duration.ofSeconds(10);
    /** The target for end-to-end latency: p99 under a second at half the sustained rate, the pipeline's. */
    static final Duration LATENCY_TARGET = Duration.ofSeconds(1);
    static final int LATENCY_TARGET_PERCENT = 50;
    /** The burst: one story at this share of the classifier's throughput (a story going viral is one partition's work). */
    static final int BURST_PERCENT = 40;
    /** The targets during a burst: p99 from observation to severity change, and the lag back to zero after it. */
    static final Duration BURST_LATENCY_TARGET = Duration.ofSeconds(5);
    static final Duration BURST_DRAIN_TARGET = Duration.ofSeconds(60);

    /**
     * Where the figures were taken: on a shared machine the load average says how much else was running.
     *
     * @param loadBefore the one-minute load average as the bench started; {@code loadAfter} as it ended
     */
    record Machine(int processors, double loadBefore, double loadAfter, String java, long maxHeap) {
    }

    /**
     * A phase that reads records already on the topic: {@code records} of them processed in {@code busy}. A Streams
     * phase is timed from its first commit ({@code startup} after its start) to zero lag, over the records left at
     * that commit ({@code fromFirstCommit}); one too short for that, and the raw copy, from start to end.
     */
    record Throughput(int records, Duration startup, Duration busy, boolean fromFirstCommit, long cpuNanos, long escalationCpuNanos) {
        Throughput(int records, Duration startup, Duration busy, boolean fromFirstCommit, long cpuNanos) {
            this(records, startup, busy, fromFirstCommit, cpuNanos, 0);
        }

        Throughput(int records, Duration startup, Duration busy, boolean fromFirstCommit) {
            this(records, startup, busy, fromFirstCommit, 0);
        }

        double perSecond() {
            return records / seconds(busy);
        }
    }

    /**
     * One phase run several times, interleaved with the others so that the machine's noise falls on all of them alike:
     * the ratios use the medians, and the spread says how far one run can be from another.
     */
    record Repeated(List<Throughput> runs) {
        Repeated {
            runs = List.copyOf(runs);
        }

        double median() {
            List<Double> rates = runs.stream().map(Throughput::perSecond).sorted().toList();
            int n = rates.size();
            return n % 2 == 1 ? rates.get(n / 2) : (rates.get(n / 2 - 1) + rates.get(n / 2)) / 2;
        }

        double lowest() {
            return runs.stream().mapToDouble(Throughput::perSecond).min().orElse(0);
        }

        double highest() {
            return runs.stream().mapToDouble(Throughput::perSecond).max().orElse(0);
        }

        /** The shortest measured run: under {@link #MIN_PHASE}, start-up and the last commit weigh on it. */
        Duration shortest() {
            return runs.stream().map(Throughput::busy).min(Duration::compareTo).orElse(Duration.ZERO);
        }

        /** Processor time of the stage's stream threads per record, the median run's; 0 when not measured. */
        double cpuMicrosPerRecord() {
            Throughput middle = middle();
            return middle.cpuNanos() / 1e3 / Math.max(1, middle.records());
        }

        /** The escalation's share of {@link #cpuMicrosPerRecord}, for the pipeline; 0 for the other phases. */
        double escalationCpuMicrosPerRecord() {
            Throughput middle = middle();
            return middle.escalationCpuNanos() / 1e3 / Math.max(1, middle.records());
        }

        private Throughput middle() {
            List<Throughput> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(Throughput::perSecond)).toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    /**
     * What makes one run comparable with another: the load's records (partition, timestamp, key and value, as sent)
     * and the settings of every Streams phase, each as the start of a SHA-256. A run on an easier load or with other
     * settings shows another hash.
     */
    record Fingerprint(String load, String settings) {
    }

    /**
     * One or more replays of an archive, one after the other, as a run: {@code snapshots} published and {@code events}
     * given by each, their time (each from the replay's start to its outputs read: no first commit to time from) and
     * processor time together, and the distinct hashes of their events files.
     */
    record Replayed(int snapshots, Throughput throughput, int events, List<String> hashes) {
        Replayed {
            hashes = List.copyOf(hashes);
        }

        /** This and {@code next} as one run. */
        Replayed and(Replayed next) {
            Throughput a = throughput;
            Throughput b = next.throughput;
            Throughput both = new Throughput(a.records() + b.records(), Duration.ZERO, a.busy().plus(b.busy()), false, a.cpuNanos() + b.cpuNanos());
            return new Replayed(snapshots, both, events, java.util.stream.Stream.concat(hashes.stream(), next.hashes.stream()).distinct().toList());
        }
    }

    /** An archive replayed in every round, or null when the bench had none: each of {@code runs} as long as the minimum phase. */
    record Replays(String format, String input, List<Replayed> runs) {
        Replays {
            runs = List.copyOf(runs);
        }

        Repeated repeated() {
            return new Repeated(runs.stream().map(Replayed::throughput).toList());
        }

        int snapshots() {
            return runs.get(0).snapshots();
        }

        int events() {
            return runs.get(0).events();
        }

        /** The distinct hashes of every replay's events file: one if all of them gave the same events, as they must. */
        List<String> hashes() {
            return runs.stream().flatMap(run -> run.hashes().stream()).distinct().toList();
        }

        /** The time of one replay at the median rate: what a reader compares with a replay timed on its own. */
        Duration medianTime() {
            return Duration.ofNanos(Math.round(snapshots() / repeated().median() * 1e9));
        }

        /** The fewest replays a run took. */
        int replaysPerRun() {
            return runs.stream().mapToInt(run -> run.throughput().records()).min().orElse(0) / Math.max(1, snapshots());
        }
    }

    /**
     * One offered rate of the end-to-end run.
     *
     * @param percent the offered rate as a share of the pipeline's sustained throughput (the burst's: of the classifier's)
     * @param sent snapshots sent, paced at {@code offered}; {@code achieved} is what the sender kept up
     * @param samples latency of each severity change, shortest first
     * @param drained from the last snapshot sent until the classifier had nothing left to read
     * @param majorOrCritical how many of those changes rose to MAJOR or CRITICAL
     * @param decided the classifier's own latency of the same rises
     * @param startUpSent snapshots sent at the same rate before, as the stages started, and {@code startUp} the latency
     *     of their changes, shortest first: not in the figures above
     */
    record Latency(int percent, double offered, double achieved, int sent, List<Duration> samples, int majorOrCritical, Duration drained,
                   HistogramSnapshot decided, int startUpSent, List<Duration> startUp) {
        Latency {
            samples = samples.stream().sorted().toList();
            startUp = startUp.stream().sorted().toList();
        }

        /** The nearest-rank percentile: the smallest sample that {@code p} percent of the samples do not exceed. */
        Duration percentile(double p) {
            return percentile(samples, p);
        }

        private static Duration percentile(List<Duration> sorted, double p) {
            int rank = (int) Math.ceil(p / 100 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }

        /** The same of the start-up's changes; null when it had none. */
        Duration startUpPercentile(double p) {
            return startUp.isEmpty() ? null : percentile(startUp, p);
        }

        /**
         * The same percentile of the classifier's own latency, intake to decision: the upper bound of the histogram
         * bucket it falls in (the buckets are cumulative, as Prometheus's are); null when the classifier timed none.
         */
        Duration decidedPercentile(double p) {
            double rank = Math.ceil(p / 100 * decided.count());
            if (rank == 0) {
                return null;
            }
            for (CountAtBucket b : decided.histogramCounts()) {
                if (b.count() >= rank) {
                    return Duration.ofNanos((long) b.bucket(TimeUnit.NANOSECONDS));
                }
            }
            return Duration.ofNanos((long) decided.max(TimeUnit.NANOSECONDS));
        }
    }

    /**
     * What a timer recorded between two snapshots of it: counts and bucket counts less the earlier ones. The maximum
     * is the later snapshot's, the timer's recent one: it keeps none per span (the percentiles read the buckets).
     */
    static HistogramSnapshot since(HistogramSnapshot before, HistogramSnapshot after) {
        CountAtBucket[] earlier = before.histogramCounts();
        CountAtBucket[] later = after.histogramCounts();
        CountAtBucket[] between = new CountAtBucket[later.length];
        for (int i = 0; i < later.length; i++) {
            double was = i < earlier.length && earlier[i].bucket() == later[i].bucket() ? earlier[i].count() : 0;
            between[i] = new CountAtBucket(later[i].bucket(), later[i].count() - was);
        }
        return new HistogramSnapshot(after.count() - before.count(), after.total() - before.total(), after.max(), null, between, null);
    }

    /**
     * Memory and disk once the classifier has processed the load.
     *
     * @param heapBefore heap used after a GC before the phases, the load made (and the embedded broker running)
     * @param heapUsed the same with the classifier running, its state built
     * @param stateBytes the classifier's state directory once it closed (RocksDB stores of all its tasks, flushed)
     * @param incidents incidents keyed in its incident store; {@code open} those above NONE
     */
    record Footprint(long heapBefore, long heapUsed, long stateBytes, int incidents, int open, int changes, int majorOrCritical,
                     Writes writes) {
    }

    /**
     * The classifier's decisions on the same load arriving two ways: published in event-time order while it runs,
     * and as a backlog in every partition before it starts (phase 3).
     *
     * @param timeOrder the severity changes of the first, each "incident from->to@instant"; {@code backlog} the second's
     * @param lateTimeOrder increments the first counted as older than their incident's window; {@code lateBacklog} the second's
     */
    record Arrival(List<String> timeOrder, List<String> backlog, long lateTimeOrder, long lateBacklog) {
        Arrival {
            timeOrder = List.copyOf(timeOrder);
            backlog = List.copyOf(backlog);
        }

        /** Changes that one run made and the other did not, counted on both sides (each list as a multiset). */
        int differing() {
            java.util.Map<String, Integer> count = new java.util.HashMap<>();
            timeOrder.forEach(c -> count.merge(c, 1, Integer::sum));
            backlog.forEach(c -> count.merge(c, -1, Integer::sum));
            return count.values().stream().mapToInt(Math::abs).sum();
        }
    }

    /**
     * Records and transaction markers a stage wrote while it processed the load, by topic (the namespace and
     * application id left out: {@code incidents}, {@code window-entries-changelog}).
     */
    record Writes(Map<String, Long> byTopic) {
        long total() {
            return sum(t -> true);
        }

        long repartition() {
            return sum(t -> t.endsWith("-repartition"));
        }

        long changelogs() {
            return sum(t -> t.endsWith("-changelog"));
        }

        long outputs() {
            return total() - repartition() - changelogs();
        }

        private long sum(java.util.function.Predicate<String> topic) {
            return byTopic.entrySet().stream().filter(e -> topic.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }
    }

    void print(PrintStream out) {
        out.println();
        out.printf("Load: %,d post snapshots (seed %d) of %,d incidents: %d drawn to go viral, %d written in Traditional "
                        + "Chinese, %d about nothing the school watches; event time %s to %s.%n",
                load.posts().size(), seed, load.incidents(), load.viral(), load.traditional(), load.offSubject(),
                load.posts().get(0).observedAt(), load.posts().get(load.posts().size() - 1).observedAt());
        out.printf("Machine: %d processors, load average %.2f at the start and %.2f at the end; Java %s, max heap %s.%n",
                machine.processors(), machine.loadBefore(), machine.loadAfter(), machine.java(), megabytes(machine.maxHeap()));
        out.printf("Cluster: %s, %d partitions per topic. Streams: exactly_once_v2 (StreamsSettings.base)%s.%n",
                cluster, partitions, overrides.isEmpty() ? "" : ", with " + overrides);
        out.println();
        out.printf("Load %s, settings %s (SHA-256 of the records as sent and of the Streams settings of every phase).%n",
                fingerprint.load(), fingerprint.settings());
        out.println();
        out.printf("Throughput: the same snapshots each time, on fresh topics; Streams phases timed from their first commit to zero lag;%n"
                + "each run %d times, interleaved, after a warm-up run; the median, and the lowest and highest run%n", classifier.runs().size());
        out.printf("  %-51s %12s %21s %9s%n", "", "records/s", "lowest - highest", "shortest");
        out.printf("  %-51s %12s %21s %9s   %s%n", "1 raw producer -> consumer (ingest's settings)", rate(raw.perSecond()), "", "",
                "producer alone " + rate(raw.records() / seconds(rawProduceOnly)) + "/s");
        row(out, "2 pass-through Streams, posts.raw -> topic", passThrough);
        row(out, "2b pass-through, each post read and written as JSON", jsonPassThrough);
        row(out, "3 classifier (Classifier.start)", classifier);
        row(out, "3c pipeline: classifier and escalation", pipeline);
        if (replays != null) {
            row(out, "3d the archive replayed (below), snapshots/s", replays.repeated());
        }
        if (List.of(passThrough, jsonPassThrough, classifier, pipeline).stream().anyMatch(r -> r.shortest().compareTo(MIN_PHASE) < 0)) {
            out.printf("  A run above was shorter than %d s: its start-up and last commit weigh on it (a larger --posts lengthens the "
                    + "classifier's and the pipeline's).%n", MIN_PHASE.toSeconds());
        }
        if (replays != null && replays.repeated().shortest().compareTo(MIN_PHASE) < 0) {
            out.printf("  A run of replays was shorter than %d s (--min-seconds).%n", MIN_PHASE.toSeconds());
        }
        out.println();
        out.println("Ratios of the medians, with today's targets");
        double classifierShare = classifier.median() / jsonPassThrough.median();
        double pipelineShare = pipeline.median() / jsonPassThrough.median();
        out.printf("  %-51s %12s%n", "pass-through / raw", ratio(passThrough.median() / raw.perSecond()));
        out.printf("  %-51s %12s   what reading and writing JSON alone leaves%n", "JSON pass-through / pass-through",
                ratio(jsonPassThrough.median() / passThrough.median()));
        out.printf("  %-51s %12s   target >= %s: %s%n", "classifier / JSON pass-through", ratio(classifierShare),
                ratio(CLASSIFIER_TARGET), verdict(classifierShare >= CLASSIFIER_TARGET));
        out.printf("  %-51s %12s%n", "classifier / pass-through", ratio(classifier.median() / passThrough.median()));
        out.printf("  %-51s %12s   target >= %s: %s%n", "pipeline / JSON pass-through", ratio(pipelineShare),
                ratio(PIPELINE_TARGET), verdict(pipelineShare >= PIPELINE_TARGET));
        out.printf("  %-51s %12s   the classifier's stream thread, per snapshot%n", "classifier CPU", micros(classifier.cpuMicrosPerRecord()));
        out.printf("  %-51s %12s   the pass-through's, per record%n", "JSON pass-through CPU", micros(jsonPassThrough.cpuMicrosPerRecord()));
        out.printf("  %-51s %12s   both stages' stream threads, per snapshot: the classifier %s, the escalation %s%n", "pipeline CPU",
                micros(pipeline.cpuMicrosPerRecord()), micros(pipeline.cpuMicrosPerRecord() - pipeline.escalationCpuMicrosPerRecord()),
                micros(pipeline.escalationCpuMicrosPerRecord()));
        if (replays != null) {
            printReplays(out);
        }
        out.println();
        out.println("Order of arrival: the same load published in event-time order to a running classifier (3b), and as a");
        out.println("backlog in every partition before it starts (3); the severity changes must be the same, none dropped as late");
        out.printf("  %-51s %12s %12s%n", "", "time order", "backlog");
        out.printf("  %-51s %,12d %,12d%n", "severity changes decided", arrival.timeOrder().size(), arrival.backlog().size());
        out.printf("  %-51s %,12d %,12d%n", "increments dropped as late", arrival.lateTimeOrder(), arrival.lateBacklog());
        int differing = arrival.differing();
        out.printf("  %-51s %12s%n", "changes in one run only", differing == 0 ? "none: same" : String.format(Locale.ROOT, "%,d DIFFER", differing));
        out.println();
        out.println("End-to-end latency: snapshot observed (observedAt = wall clock when sent) -> its severity change read");
        out.println("from incidents.severity (read_committed), classifier and escalation running, fresh topics per rate;");
        out.println("offered in percent of the pipeline's median throughput, which those two sustain together; each rate is");
        out.printf("timed after the stages' start-up: the first %d s at the same rate, timed apart (below)%n", Bench.START_UP_SECONDS);
        out.printf("  %-8s %10s %10s %7s %9s %9s %9s %9s %9s %11s%n",
                "offered", "records/s", "achieved", "sent", "changes", "p50", "p99", "p99.9", "max", "decided p50/p99");
        for (Latency l : latencies) {
            boolean empty = l.samples().isEmpty();
            Duration decided50 = l.decidedPercentile(50);
            out.printf("  %-8s %10s %10s %7d %9s %9s %9s %9s %9s %s%n", l.percent() + "%", rate(l.offered()), rate(l.achieved()),
                    l.sent(), l.samples().size() + " (" + l.majorOrCritical() + ")",
                    empty ? "-" : millis(l.percentile(50)), empty ? "-" : millis(l.percentile(99)),
                    empty ? "-" : millis(l.percentile(99.9)), empty ? "-" : millis(l.percentile(100)),
                    decided50 == null ? "-" : "<= " + millis(decided50) + " / " + millis(l.decidedPercentile(99)));
        }
        out.println("  changes: severity changes seen, in brackets those to MAJOR or CRITICAL");
        out.println("  decided: the classifier's own latency for the rises, from ingest's intake to its decision, before the commit");
        out.println("  that lets readers see it (classifier.severity.latency; the bounds of its histogram's buckets)");
        latencies.stream().filter(l -> l.percent() == LATENCY_TARGET_PERCENT && !l.samples().isEmpty()).findFirst().ifPresent(l ->
                out.printf("  target p99 < %s at %d%%: %s%n", millis(LATENCY_TARGET), LATENCY_TARGET_PERCENT,
                        verdict(l.percentile(99).compareTo(LATENCY_TARGET) < 0)));
        for (Latency l : latencies) {
            Duration p99 = l.startUpPercentile(99);
            out.printf("  start-up at %d%%: %,d snapshots sent as the stages started, %d changes, p99 %s, max %s%n", l.percent(),
                    l.startUpSent(), l.startUp().size(), p99 == null ? "-" : millis(p99), p99 == null ? "-" : millis(l.startUpPercentile(100)));
        }
        out.println();
        out.printf("Burst: one story's snapshots at %d%% of the classifier's throughput, all on one partition (one stream thread),%n",
                BURST_PERCENT);
        out.println("its comments crossing MAJOR early and CRITICAL near the end; classifier and escalation running");
        out.printf("  offered %s/s, achieved %s/s: %,d snapshots; %d severity changes (%d to MAJOR or CRITICAL)%n",
                rate(burst.offered()), rate(burst.achieved()), burst.sent(), burst.samples().size(), burst.majorOrCritical());
        if (!burst.samples().isEmpty()) {
            out.printf("  observed -> change    p50 %s, p99 %s, max %s   target p99 < %s: %s%n", millis(burst.percentile(50)),
                    millis(burst.percentile(99)), millis(burst.percentile(100)), millis(BURST_LATENCY_TARGET),
                    verdict(burst.percentile(99).compareTo(BURST_LATENCY_TARGET) < 0));
        }
        out.printf("  lag back to zero      %s after the last snapshot   target <= %s: %s%n", millis(burst.drained()),
                millis(BURST_DRAIN_TARGET), verdict(burst.drained().compareTo(BURST_DRAIN_TARGET) <= 0));
        out.println();
        out.println("Footprint of the classifier phase");
        out.printf("  heap used after GC    %s with the classifier running, %s before: the classifier's share %s%n",
                megabytes(footprint.heapUsed()), megabytes(footprint.heapBefore()),
                megabytes(footprint.heapUsed() - footprint.heapBefore()));
        out.printf("  state on disk         %s once closed: %s per incident keyed (%,d), %s per open incident (%,d)%n",
                megabytes(footprint.stateBytes()), kilobytes(footprint.stateBytes() / (double) Math.max(1, footprint.incidents())),
                footprint.incidents(), kilobytes(footprint.stateBytes() / (double) Math.max(1, footprint.open())), footprint.open());
        out.printf("  severity changes      %,d, %,d of them to MAJOR or CRITICAL%n", footprint.changes(), footprint.majorOrCritical());
        printWrites(out, footprint.writes());
        out.println();
        out.println("The escalation's writes in the pipeline phase (its first measured run): its internal topics, notifications, tracking, actions");
        printWrites(out, escalationWrites);
    }

    private void printReplays(PrintStream out) {
        Repeated r = replays.repeated();
        out.println();
        out.printf("The archive %s (%s), replayed in each round as `replay --publish-order partition` replays it, in this JVM%n",
                replays.input(), replays.format());
        out.println("on this cluster: from the archive's read and the stages' start beside it to every output read (not the JVM's");
        out.println("start and exit, nor an embedded broker's, which a replay timed on its own has: BENCHMARKS.md); a run is as many");
        out.printf("replays one after the other as keep it busy for --min-seconds: %d at the fewest%n", replays.replaysPerRun());
        out.printf("  %-51s %12s   %s of the JSON pass-through's snapshots/s%n", "the replay's median time",
                secondsText(replays.medianTime()), ratio(r.median() / jsonPassThrough.median()));
        out.printf("  %-51s %,12d   both stages' stream threads %s per snapshot%n", "snapshots published by a replay", replays.snapshots(),
                micros(r.cpuMicrosPerRecord()));
        out.printf("  %-51s %,12d   %s%n", "events, as replay --output writes them", replays.events(),
                replays.hashes().size() == 1 ? "the same in every replay: SHA-256 of the events file " + replays.hashes().get(0)
                        : "DIFFER from replay to replay: " + String.join(", ", replays.hashes()));
    }

    /** Per snapshot of the load: a stage writes for every snapshot, those it took before its first commit too. */
    private void printWrites(PrintStream out, Writes w) {
        double snapshots = load.posts().size();
        out.printf("  writes per snapshot   %.1f records and transaction markers: repartition %.1f, changelogs %.1f, "
                + "output topics %.1f%n", w.total() / snapshots, w.repartition() / snapshots, w.changelogs() / snapshots, w.outputs() / snapshots);
        out.printf("  the most written      %s%n", w.byTopic().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / snapshots)).collect(java.util.stream.Collectors.joining(", ")));
    }

    /** How a figure stands against its target, as the report prints it. */
    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static void row(PrintStream out, String name, Repeated r) {
        out.printf("  %-51s %12s %21s %9s%n", name, rate(r.median()), rate(r.lowest()) + " - " + rate(r.highest()),
                secondsText(r.shortest()));
    }

    private static String micros(double micros) {
        return String.format(Locale.ROOT, "%.0f µs", micros);
    }

    static double seconds(Duration d) {
        return Math.max(1, d.toNanos()) / 1e9;
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** Two decimals, or two significant digits below 0.1, so that a small ratio never reads as 0.00. */
    static String ratio(double r) {
        return r == 0 || Math.abs(r) >= 0.095 ? String.format(Locale.ROOT, "%.2f", r)
                : new BigDecimal(r).round(new MathContext(2)).toPlainString();
    }

    private static String secondsText(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", seconds(d));
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String kilobytes(double bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
    }
}
