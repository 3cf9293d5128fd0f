import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.source.FeedParser;
import org.opinionwatch.ingest.source.PageDecoder;
import org.opinionwatch.ingest.source.UnreadablePageException;

/**
 * The feed reading of a release without try-source (this branch's base commit), called as its FeedSource called it
 * and printing what try-source prints, so that evaluate.py measures it the same way: the "before" of the
 * measurement in docs/sources.md. Run with that release's classes on the class path (see docs/sources.md); it
 * accepts try-source's arguments for a feed and reads --file, --base-url, --zone, --id and --content-type.
 */
public final class BeforeTrySource {
    public static void main(String[] args) throws Exception {
        Path file = null;
        String url = null;
        String zone = "Asia/Shanghai";
        String source = "try-source";
        String contentType = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--file" -> file = Path.of(args[i + 1]);
                case "--base-url" -> url = args[i + 1];
                case "--zone" -> zone = args[i + 1];
                case "--id" -> source = args[i + 1];
                case "--content-type" -> contentType = args[i + 1];
                default -> { }
            }
        }
        url = url != null ? url : file.toAbsolutePath().toUri().toString();
        Instant now = Instant.now();
        String text;
        try {
            PageDecoder.Decoded decoded = PageDecoder.decode(Files.readAllBytes(file), contentType);
            System.err.println("{\"fetched\":\"" + url + "\",\"decoded\":\"" + decoded.charset().name() + "\"}");
            text = decoded.text();
        } catch (UnreadablePageException e) {
            reject(DeadLetter.of(source, url, e.getMessage(), null, now));
            System.exit(1);
            return;
        }
        try {
            FeedParser.Result result = new FeedParser(source, false, ZoneId.of(zone)).parse(text, url, now);
            result.posts().forEach(p -> System.out.println(new String(Topics.POST.serialize("", p), StandardCharsets.UTF_8)));
            result.rejected().forEach(BeforeTrySource::reject);
        } catch (UnreadablePageException e) {
            reject(DeadLetter.of(source, url, e.getMessage(), null, now));
            System.exit(1);
        }
    }

    private static void reject(DeadLetter deadLetter) {
        System.err.println(new String(Topics.DEAD_LETTER.serialize("", deadLetter), StandardCharsets.UTF_8));
    }
}
