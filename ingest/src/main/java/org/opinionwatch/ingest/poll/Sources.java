package org.opinionwatch.ingest.poll;

import java.net.URI;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.OpinionWatchConfig.Source;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.ingest.source.FeedParser;
import org.opinionwatch.ingest.source.ForumParser;
import org.opinionwatch.ingest.source.SiteProfile;

/** The polled sources of the config: forum boards with their engine's profile, news feeds. */
final class Sources {
    private Sources() {
    }

    /** @param origin the config file, for errors that name it */
    static List<PolledSource> from(List<Source> sources, String origin) {
        return java.util.stream.IntStream.range(0, sources.size()).mapToObj(i -> from(sources.get(i), "ingest.sources[" + i + "]", origin)).toList();
    }

    private static PolledSource from(Source s, String key, String origin) {
        ZoneId zone = ZoneId.of(s.zone());
        URI url = URI.create(s.url());
        if (s.type().equals("feed")) {
            return new PolledSource(s.id(), s.pollEvery(), new FeedSource(url, new FeedParser(s.id(), s.mainstream(), zone)));
        }
        SiteProfile profile = switch (s.engine()) {
            case "discuz" -> SiteProfile.discuz().withZone(zone);
            case "phpbb" -> SiteProfile.phpbb().withZone(zone);
            default -> custom(s.profile(), zone, key, origin);
        };
        return new PolledSource(s.id(), s.pollEvery(), new ForumSource(url, s.recentThreads(), new ForumParser(s.id(), profile)));
    }

    /** A profile written in the config: SiteProfile's components by name; its checks name what is wrong. */
    private static SiteProfile custom(Map<String, Object> components, ZoneId zone, String key, String origin) {
        Map<String, Object> withZone = new HashMap<>(components);
        withZone.putIfAbsent("zone", zone.getId());
        try {
            return Json.STRICT.convertValue(withZone, SiteProfile.class);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null && e.getCause().getCause() instanceof IllegalArgumentException ? e.getCause().getCause() : e;
            throw new ConfigException(origin + ": key '" + key + ".profile' " + cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }

}
