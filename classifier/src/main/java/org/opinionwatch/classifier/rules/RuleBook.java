package org.opinionwatch.classifier.rules;

import org.opinionwatch.classifier.category.Categorizer;
import org.opinionwatch.classifier.category.Lexicons;
import org.opinionwatch.classifier.severity.Forecaster;
import org.opinionwatch.classifier.severity.LevelPolicy;
import org.opinionwatch.classifier.severity.SeverityRules;
import org.opinionwatch.classifier.story.StoryGrouping;
import org.opinionwatch.classifier.subject.SubjectMatcher;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/**
 * The classifier's rules, compiled once: the subject automaton, the category lexicons, the thresholds with their
 * watch periods, the hysteresis, the forecast and the story grouping. Built again, whole, when the rules change.
 *
 * @param grouping null when grouping is turned off
 */
public record RuleBook(OpinionWatchConfig.Classifier settings, SubjectMatcher matcher, Categorizer categorizer,
                       SeverityRules severity, LevelPolicy policy, Forecaster forecaster, StoryGrouping grouping) {

    public static RuleBook of(OpinionWatchConfig.Classifier settings) {
        SeverityRules severity = new SeverityRules(settings.thresholds(), settings.heightenedWatch());
        var g = settings.grouping();
        return new RuleBook(settings,
                new SubjectMatcher(settings.subjects()),
                new Categorizer(Lexicons.withOverrides(settings.categories(), settings.sensitiveDomains())),
                severity,
                new LevelPolicy(severity, settings.hysteresis()),
                new Forecaster(severity, settings.forecast()),
                g.enabled() ? new StoryGrouping(g.similarity(), g.minBigrams()) : null);
    }
}
