package org.opinionwatch.classifier.severity;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.opinionwatch.contract.config.OpinionWatchConfig.Forecast;
import org.opinionwatch.contract.config.OpinionWatchConfig.Threshold;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * Early warning: at the pace of the last {@code rateWindow}, when would the incident reach the next level's
 * threshold? A warning when that is within the horizon. The pace is the recent growth of views and comments;
 * outlets are counted, not paced.
 */
public final class Forecaster {
    /**
     * @param metric the metric expected to cross first
     * @param perHour its pace, per hour
     */
    public record Warning(Level next, String metric, long value, long threshold, double perHour, Instant expectedAt) {
    }

    private final SeverityRules rules;
    private final Forecast settings;

    public Forecaster(SeverityRules rules, Forecast settings) {
        this.rules = rules;
        this.settings = settings;
    }

    /** @param recent the growth within the last {@code rateWindow} */
    public Optional<Warning> forecast(Level current, WindowMetrics window, WindowMetrics recent, Instant at) {
        Level next = current.compareTo(Level.MAJOR) < 0 ? Level.MAJOR : current == Level.MAJOR ? Level.CRITICAL : null;
        if (next == null) {
            return Optional.empty();
        }
        Threshold t = rules.threshold(next, at);
        Optional<Warning> views = eta(next, "views", window.views(), t.views(), recent.views(), at);
        Optional<Warning> comments = eta(next, "comments", window.comments(), t.comments(), recent.comments(), at);
        if (views.isPresent() && comments.isPresent()) {
            return views.get().expectedAt().isBefore(comments.get().expectedAt()) ? views : comments;
        }
        return views.isPresent() ? views : comments;
    }

    private Optional<Warning> eta(Level next, String metric, long value, long threshold, long recentGrowth, Instant at) {
        if (recentGrowth <= 0 || value >= threshold) {
            return Optional.empty();
        }
        long rateMillis = settings.rateWindow().toMillis();
        Duration eta = Duration.ofMillis((long) Math.ceil((double) (threshold - value) * rateMillis / recentGrowth));
        if (eta.compareTo(settings.horizon()) > 0) {
            return Optional.empty();
        }
        double perHour = recentGrowth * 3_600_000.0 / rateMillis;
        return Optional.of(new Warning(next, metric, value, threshold, perHour, at.plus(eta)));
    }
}
