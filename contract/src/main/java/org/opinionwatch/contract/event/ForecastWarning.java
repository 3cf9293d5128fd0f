package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * Early warning ({@code incidents.forecast}, key: incident id): at its current pace the incident will reach the
 * next level's threshold within the configured horizon. Emitted once per incident and target level.
 *
 * @param metric the metric expected to cross first ({@code views} or {@code comments})
 * @param perHour its recent pace
 * @param at the event time of the forecast
 * @param expectedAt when the threshold would be reached at that pace
 */
public record ForecastWarning(String incidentId, String subject, Level level, Level next, String metric, long value,
                              long threshold, double perHour, Instant at, Instant expectedAt, PostRef rootPost) {
    public static final String SCHEMA = "forecast/1";
}
