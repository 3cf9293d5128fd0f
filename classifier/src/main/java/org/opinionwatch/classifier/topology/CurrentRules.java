package org.opinionwatch.classifier.topology;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor's view of the rules: those of the config file until rules are published on the rules topic, then
 * the latest published. Each record looks up only the rules' revision (a few bytes in an in-memory global store);
 * the rules are parsed and compiled again only when it changes. Rules that cannot be read or compiled are logged
 * and the previous ones stay: a bad publication must not stop the classifier.
 */
final class CurrentRules {
    private static final Logger LOG = LoggerFactory.getLogger(CurrentRules.class);

    private final OpinionWatchConfig.Classifier configured;
    private final ReadOnlyKeyValueStore<String, String> store;
    private String revision;
    private RuleBook book;

    CurrentRules(OpinionWatchConfig.Classifier configured, ReadOnlyKeyValueStore<String, String> store) {
        this.configured = configured;
        this.store = store;
        this.book = RuleBook.of(configured);
        get();
    }

    RuleBook get() {
        String now = store.get(RulesStore.REVISION);
        if (now == null ? revision == null : now.equals(revision)) {
            return book;
        }
        try {
            String json = store.get(RulesStore.RULES);
            book = json == null ? RuleBook.of(configured) : RuleBook.of(configured.withRules(Topics.RULES.parse(json)));
            LOG.info("classifier rules {}: {}", json == null ? "from the config file" : "revision " + now, json == null ? "" : json.length() + " bytes");
        } catch (RuntimeException e) {
            LOG.error("classifier rules revision {} cannot be used; the previous rules stay: {}", now, e.getMessage());
        }
        revision = now;
        return book;
    }
}
