package org.opinionwatch.classifier.category;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opinionwatch.classifier.subject.TextNormalizer;

/**
 * The word lists of every content category and sensitive domain: the bundled {@code lexicons.yaml}, with any list
 * named in the configuration replacing the bundled list of that name (the config's {@code categories} and
 * {@code sensitiveDomains}; an empty map keeps the bundled lists). Words are stored normalized (see
 * {@link #normalize(String)}) so they compare with normalized post text.
 */
public final class Lexicons {
    private static final String BUNDLED = "lexicons.yaml";

    private final Map<ContentCategory, List<String>> categories;
    private final Map<SensitiveDomain, List<String>> domains;

    private Lexicons(Map<ContentCategory, List<String>> categories, Map<SensitiveDomain, List<String>> domains) {
        this.categories = categories;
        this.domains = domains;
    }

    /** The bundled lexicons alone. */
    public static Lexicons bundled() {
        return withOverrides(Map.of(), Map.of());
    }

    /**
     * The bundled lexicons with the named lists replaced.
     *
     * @throws IllegalArgumentException when an override names no category or domain, so a typo in the config does not
     *     silently leave the bundled list in force
     */
    public static Lexicons withOverrides(Map<String, List<String>> categoryOverrides,
                                         Map<String, List<String>> domainOverrides) {
        BundledFile file = Bundled.FILE;
        EnumMap<ContentCategory, List<String>> categories = resolve(ContentCategory.class, ContentCategory::key,
                file.categories(), categoryOverrides, "categories");
        EnumMap<SensitiveDomain, List<String>> domains = resolve(SensitiveDomain.class, SensitiveDomain::key,
                file.sensitiveDomains(), domainOverrides, "sensitiveDomains");
        return new Lexicons(categories, domains);
    }

    /** The normalized words of a category; empty for {@link ContentCategory#NEUTRAL}, which has no lexicon. */
    public List<String> words(ContentCategory category) {
        return categories.getOrDefault(category, List.of());
    }

    /** The normalized words of a sensitive domain. */
    public List<String> words(SensitiveDomain domain) {
        return domains.get(domain);
    }

    /** The same normalization for lexicon words and post text as for subjects: scripts, widths, case, spacing. */
    static String normalize(String s) {
        return s == null ? "" : TextNormalizer.normalize(s);
    }

    private static <E extends Enum<E>> EnumMap<E, List<String>> resolve(Class<E> type, Function<E, String> key,
            Map<String, List<String>> bundled, Map<String, List<String>> overrides, String what) {
        Set<String> known = Arrays.stream(type.getEnumConstants()).map(key).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String name : overrides.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("classifier." + what + ": unknown lexicon '" + name
                        + "', expected one of " + known);
            }
        }
        EnumMap<E, List<String>> result = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            String name = key.apply(value);
            if (name == null) {
                continue;
            }
            List<String> words = overrides.containsKey(name) ? overrides.get(name) : bundled.get(name);
            if (words == null) {
                throw new IllegalStateException(BUNDLED + " has no " + what + " lexicon '" + name + "'");
            }
            result.put(value, words.stream().map(Lexicons::normalize).map(String::strip)
                    .filter(w -> !w.isEmpty()).distinct().toList());
        }
        return result;
    }

    private record BundledFile(Map<String, List<String>> categories,
                               @JsonProperty("sensitive-domains") Map<String, List<String>> sensitiveDomains) {
    }

    /** Reads the bundled file once, on first use. */
    private static final class Bundled {
        static final BundledFile FILE = read();

        private static BundledFile read() {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            try (InputStream in = Lexicons.class.getClassLoader().getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException(BUNDLED + " is missing from the classpath");
                }
                return yaml.readValue(in, BundledFile.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + BUNDLED, e);
            }
        }
    }
}
