package org.opinionwatch.launcher.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.fetch.HttpFetcher;
import org.opinionwatch.ingest.poll.LiveIngest;
import org.opinionwatch.ingest.poll.TrySource;
import org.opinionwatch.ingest.publish.PostBounds;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Reads one source once, as live ingest would, without a broker: the operator's check of a feed or forum before it
 * goes into the config. Standard output is exactly what would go to posts.raw, so it can be kept as a JSON Lines
 * archive; standard error says what was fetched and how it was decoded, what was rejected and why, and which times
 * could not be read.
 */
@Command(name = "try-source", mixinStandardHelpOptions = true,
        description = "Reads one source once, without a broker, and prints each post snapshot as one JSON line exactly as it "
                + "would go to posts.raw (post/1); on standard error, one JSON line each for a page fetched and how it was "
                + "decoded ({\"fetched\":...,\"decoded\":...}), a fetch that failed ({\"fetchFailed\":...,\"reason\":...}), input "
                + "rejected (a dead-letter/1 record as posts.dlq would have it), a thread a list page links to ({\"listed\":..., "
                + "\"views\":...}) and a time that could not be read ({\"note\":...}). Exits 0 when the source could be read, "
                + "1 when it could not be fetched, decoded or parsed.")
public final class TrySourceCommand implements Callable<Integer> {
    @Option(names = "--type", required = true, paramLabel = "feed|forum-list|forum-thread",
            description = "feed: an RSS or Atom feed; forum-list: a board's list page (with --url, its threads are fetched and "
                    + "read too, politely); forum-thread: one thread page, its opening post and the replies on it.")
    String type;

    @Option(names = "--engine", paramLabel = "NAME", description = "The forum's engine: discuz or phpbb. Required for the forum types.")
    String engine;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    static final class Where {
        @Option(names = "--url", paramLabel = "URL", description = "Fetch the source, with ingest's user agent, timeouts, robots.txt "
                + "and per-host interval (from --config).")
        URI url;

        @Option(names = "--file", paramLabel = "PATH", description = "Read a saved page instead; nothing else is fetched.")
        Path file;
    }

    @Option(names = "--base-url", paramLabel = "URL", description = "With --file: the URL the page was saved from, against which its "
            + "links resolve and from which a thread's id is made. Required for the forum types; default for a feed: the file's URI.")
    URI baseUrl;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "With --file: the Content-Type header the server sends "
            + "(its charset is a declaration like any other). Default: none.")
    String contentType;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "Asia/Shanghai",
            description = "The zone of times the source writes without one (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--id", paramLabel = "SOURCE", defaultValue = "try-source",
            description = "The source id the posts and rejections carry (default: ${DEFAULT-VALUE}).")
    String sourceId;

    @Option(names = "--recent", paramLabel = "N", defaultValue = "30",
            description = "forum-list: how many of the listed threads are read (default: ${DEFAULT-VALUE}).")
    int recent;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings over the defaults: ingest.http for --url, ingest.limits.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        TrySource.Type kind;
        ZoneId zoneId;
        try {
            kind = TrySource.Type.of(type);
            zoneId = ZoneId.of(zone);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().startsWith("type") ? "--" + e.getMessage() : "--zone: " + e.getMessage());
        }
        if (kind != TrySource.Type.FEED && (engine == null || !TrySource.ENGINES.contains(engine))) {
            throw new ParameterException(spec.commandLine(), "--engine must be " + String.join(" or ", TrySource.ENGINES) + " for --type " + type);
        }
        if (recent < 1) {
            throw new ParameterException(spec.commandLine(), "--recent must be at least 1");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        TrySource.Output output = output(out, err);
        OpinionWatchConfig settings = ConfigLoader.load(config);
        PostBounds bounds = PostBounds.live(settings.ingest().limits(), Clock.systemUTC());
        if (where.file != null) {
            if (kind != TrySource.Type.FEED && baseUrl == null) {
                throw new ParameterException(spec.commandLine(), "--base-url is required with --file for --type " + type
                        + ": a thread's id is made from its URL");
            }
            URI url = baseUrl != null ? baseUrl : where.file.toAbsolutePath().toUri();
            byte[] body = Files.readAllBytes(where.file);
            boolean read = TrySource.run(kind, sourceId, url, TrySource.saved(url, body, contentType), engine, zoneId, recent, false,
                    output, bounds, Clock.systemUTC());
            return read ? 0 : 1;
        }
        if (baseUrl != null || contentType != null) {
            throw new ParameterException(spec.commandLine(), "--base-url and --content-type go with --file: a fetched page has its own");
        }
        try (HttpFetcher fetcher = LiveIngest.fetcher(settings.ingest().http())) {
            boolean read = TrySource.run(kind, sourceId, where.url, fetcher::fetch, engine, zoneId, recent, true, output, bounds,
                    Clock.systemUTC());
            return read ? 0 : 1;
        }
    }

    private static TrySource.Output output(PrintStream out, PrintStream err) {
        return new TrySource.Output() {
            @Override
            public void post(Post post) {
                out.println(new String(Topics.POST.serialize("", post), StandardCharsets.UTF_8));
            }

            @Override
            public void rejected(DeadLetter deadLetter) {
                err.println(new String(Topics.DEAD_LETTER.serialize("", deadLetter), StandardCharsets.UTF_8));
            }

            @Override
            public void fetched(URI uri, String decoding) {
                err.println(line("fetched", uri.toString(), "decoded", decoding));
            }

            @Override
            public void fetchFailed(URI uri, String reason) {
                err.println(line("fetchFailed", uri.toString(), "reason", reason));
            }

            @Override
            public void listed(String url, Long views) {
                err.println(line("listed", url, "views", views));
            }

            @Override
            public void note(String note) {
                err.println(line("note", note));
            }
        };
    }

    private static String line(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            return Json.TOLERANT.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }
}
