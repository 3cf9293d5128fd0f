package org.opinionwatch.launcher.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opinionwatch.launcher.pipeline.OutputEvent;

/** A readable timeline of a replay: per incident its level changes, who was told what by when, its tracking. */
public final class Timeline {
    /** The plan's zone: the office reads times as Beijing time. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private Timeline() {
    }

    public static void print(List<OutputEvent> events, PrintStream out) {
        Map<String, List<OutputEvent>> byIncident = new LinkedHashMap<>();
        events.forEach(e -> byIncident.computeIfAbsent(e.key(), k -> new java.util.ArrayList<>()).add(e));
        for (var incident : byIncident.entrySet()) {
            List<OutputEvent> own = incident.getValue();
            String title = own.stream().filter(e -> e.topic().equals("incidents.severity"))
                    .map(e -> e.event().path("rootPost").path("title").asText("")).findFirst().orElse("");
            out.printf("%nIncident %s  %s%n", incident.getKey(), title);
            int checkpoints = 0;
            Instant firstCheckpoint = null;
            Instant lastCheckpoint = null;
            for (OutputEvent e : own) {
                JsonNode ev = e.event();
                switch (e.topic()) {
                    case "incidents.severity" -> out.printf("  %s  %-8s -> %-8s %s  (window: %d comments, %d views, %d outlets)%n",
                            TIME.format(e.time()), ev.path("from").asText(), ev.path("to").asText(),
                            String.join(", ", textList(ev.path("crossed"))),
                            ev.path("metrics").path("comments").asLong(), ev.path("metrics").path("views").asLong(),
                            ev.path("metrics").path("outlets").asInt());
                    case "notifications" -> out.printf("  %s      notify %-18s %-8s %-40s %s%n", TIME.format(e.time()),
                            ev.path("role").asText(), ev.path("kind").asText().toLowerCase(java.util.Locale.ROOT),
                            String.join(",", textList(ev.path("duties"))),
                            ev.path("due").isNull() || ev.path("due").isMissingNode() ? "" : "due " + TIME.format(Instant.parse(ev.path("due").asText())));
                    case "tracking" -> {
                        checkpoints++;
                        firstCheckpoint = firstCheckpoint == null ? e.time() : firstCheckpoint;
                        lastCheckpoint = e.time();
                    }
                    default -> { }
                }
            }
            if (checkpoints > 0) {
                out.printf("  tracking: %d hourly checkpoints, %s to %s%n", checkpoints, TIME.format(firstCheckpoint), TIME.format(lastCheckpoint));
            }
        }
    }

    private static List<String> textList(JsonNode array) {
        List<String> list = new java.util.ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
