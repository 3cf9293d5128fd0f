package org.opinionwatch.launcher.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.launcher.Main;
import picocli.CommandLine;

/**
 * What the README and docs/ tell people to type exists: every {@code opinion-watch} command and its options, every
 * {@code OW_} variable, every setting named by its key, and every file they link to. A renamed option or key fails
 * here rather than in a reader's terminal.
 */
class DocsTest {
    private static final Pattern FENCE = Pattern.compile("(?m)^```[^\\n]*\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern COMMAND = Pattern.compile("(?:^|[\\s/])opinion-watch ([a-z][a-z-]*)([^|;&>\\n]*)");
    private static final Pattern OPTION = Pattern.compile("(?:^|\\s)(--[a-z][a-z-]*)");
    private static final Pattern VARIABLE = Pattern.compile("\\bOW_[A-Z0-9_]+");
    private static final Pattern KEY = Pattern.compile(
            "(?:kafka|streams|topics|endpoints|ingest|classifier|escalation|notifier)(?:\\.[A-Za-z0-9_-]+)+");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]*)(?:#([^)\\s]*))?\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");
    /** The credentials of channels and webhooks, whose names the configured channel or role gives. */
    private static final Pattern SECRET = Pattern.compile(
            "OW_NOTIFIER_(WEBHOOKS_[A-Z_]+_SECRET|CHANNELS_[A-Z0-9_]+_(TOKEN|SECRET|PASSWORD))");

    private final Map<Path, String> docs = Docs.all();

    @Test
    void everyCommandAndOptionTheDocsShowExists() {
        CommandLine main = new CommandLine(new Main());
        List<String> wrong = new ArrayList<>();
        forEachCode((doc, code) -> {
            Matcher m = COMMAND.matcher(code.replace("\\\n", " "));
            while (m.find()) {
                CommandLine command = main.getSubcommands().get(m.group(1));
                if (command == null) {
                    wrong.add(doc + ": no command " + m.group(1) + " in `" + m.group().strip() + "`");
                    continue;
                }
                Matcher option = OPTION.matcher(m.group(2));
                while (option.find()) {
                    if (command.getCommandSpec().findOption(option.group(1)) == null) {
                        wrong.add(doc + ": " + m.group(1) + " has no option " + option.group(1));
                    }
                }
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyVariableTheDocsNameIsRead() throws IOException {
        Set<String> known = Docs.settings().keySet().stream().map(ConfigLoader::envName).collect(Collectors.toSet());
        known.addAll(variablesInSources());
        Set<String> wrong = new TreeSet<>();
        docs.forEach((doc, text) -> {
            Matcher m = VARIABLE.matcher(text);
            while (m.find()) {
                String name = m.group();
                // OW_NOTIFIER_WEBHOOKS_<ROLE>_SECRET: a pattern, whose start must be a real one's
                boolean pattern = name.endsWith("_");
                boolean ok = pattern ? known.stream().anyMatch(k -> k.startsWith(name)) || name.matches("OW_NOTIFIER_(WEBHOOKS|CHANNELS)_")
                        : known.contains(name) || SECRET.matcher(name).matches();
                if (!ok) {
                    wrong.add(doc + ": " + name);
                }
            }
        });
        assertEquals(Set.of(), wrong, "variables no setting and no code reads");
    }

    @Test
    void everySettingTheDocsNameExists() {
        Set<String> topics = Topics.withPrefix("").all().stream().map(Topic::name).collect(Collectors.toSet());
        Set<String> settings = Docs.settings().keySet();
        Set<String> wrong = new TreeSet<>();
        docs.forEach((doc, text) -> {
            Matcher m = INLINE.matcher(text);
            while (m.find()) {
                String key = m.group(1);
                // kafka.server.ReplicaManager is a class, not a setting
                boolean className = Stream.of(key.split("\\.")).anyMatch(p -> p.matches("[A-Z][a-z]\\w*"));
                if (KEY.matcher(key).matches() && !className && !topics.contains(key) && !exists(key, settings)) {
                    wrong.add(doc + ": " + key);
                }
            }
        });
        assertEquals(Set.of(), wrong, "settings that opinion-watch-defaults.yaml does not have");
    }

    @Test
    void everyFileAndSectionTheDocsLinkToIsThere() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (var entry : docs.entrySet()) {
            Matcher m = LINK.matcher(FENCE.matcher(entry.getValue()).replaceAll(""));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path file = target.isEmpty() ? Docs.ROOT.resolve(entry.getKey()) : Docs.ROOT.resolve(entry.getKey()).getParent().resolve(target);
                if (!Files.exists(file)) {
                    wrong.add(entry.getKey() + ": " + target);
                } else if (m.group(2) != null && file.toString().endsWith(".md") && !anchors(Files.readString(file)).contains(m.group(2))) {
                    wrong.add(entry.getKey() + ": " + target + "#" + m.group(2));
                }
            }
        }
        assertEquals(List.of(), wrong, "links to files or sections that are not in the checkout");
    }

    /** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (m.find()) {
            anchors.add(m.group(1).strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    /**
     * A key, a section, or a path into a setting that is free-form (an empty mapping or a list by default), through
     * placeholders in capitals for a mapping's keys ({@code escalation.roles.ROLE.escalatesTo}).
     */
    private static boolean exists(String key, Set<String> settings) {
        if (settings.contains(key) || settings.stream().anyMatch(s -> s.startsWith(key + "."))) {
            return true;
        }
        Map<String, JsonNode> all = Docs.settings();
        String[] parts = key.split("\\.");
        for (int i = parts.length - 1; i > 0; i--) {
            String prefix = String.join(".", java.util.Arrays.copyOf(parts, i));
            JsonNode value = all.get(prefix);
            if (value != null) {
                return value.isContainerNode();
            }
        }
        // placeholders: each capitalised part stands for any key at its place
        String pattern = Stream.of(parts).map(p -> p.matches("[A-Z_]+") ? "[^.]+" : Pattern.quote(p)).collect(Collectors.joining("\\."));
        return settings.stream().anyMatch(s -> s.matches(pattern) || s.matches(pattern + "\\..+"));
    }

    private void forEachCode(java.util.function.BiConsumer<Path, String> action) {
        docs.forEach((doc, text) -> {
            Matcher fence = FENCE.matcher(text);
            while (fence.find()) {
                action.accept(doc, fence.group(1));
            }
            Matcher inline = INLINE.matcher(FENCE.matcher(text).replaceAll(""));
            while (inline.find()) {
                action.accept(doc, inline.group(1));
            }
        });
    }

    /** {@code OW_} variables the code reads by name rather than as a setting (string literals in any source file). */
    private static Set<String> variablesInSources() {
        Pattern literal = Pattern.compile("\"(OW_[A-Z0-9_]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Docs.ROOT)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/"))::iterator) {
                Matcher m = literal.matcher(Files.readString(p));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
