package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opinionwatch.launcher.Tools;

/** docker/alertmanager/alertmanager.yml checked by Alertmanager's own tool, and against the alert rules it routes. */
class AlertmanagerConfigTest {
    private static final Path CONFIG = DockerFiles.DOCKER.resolve("alertmanager/alertmanager.yml").toAbsolutePath().normalize();
    /** Critical alerts page the chat group and e-mail at once; warnings go by e-mail, gathered. */
    private static final Map<String, String> RECEIVER = Map.of("critical", "office-page", "warning", "office-digest");
    private static final Pattern ALERTNAME = Pattern.compile("alertname(?:=~|!~|!=|=)\"([^\"]*)\"");

    @Test
    void theConfigIsValid() throws Exception {
        amtool("check-config", CONFIG.toString());
    }

    @Test
    void everyAlertReachesTheReceiverOfItsSeverityAndOneWithoutSeverityPages() throws Exception {
        for (JsonNode rule : alertRules()) {
            String severity = rule.at("/labels/severity").asText();
            amtool("config", "routes", "test", "--config.file=" + CONFIG, "--verify.receivers=" + RECEIVER.get(severity),
                    "alertname=" + rule.path("alert").asText(), "severity=" + severity, "job=classifier");
        }
        amtool("config", "routes", "test", "--config.file=" + CONFIG, "--verify.receivers=office-page", "alertname=Unlabelled");
    }

    /** An inhibition rule that names an alert nobody raises (a typo, a renamed rule) silently inhibits nothing. */
    @Test
    void theInhibitionRulesNameAlertsOfTheRules() {
        Set<String> alerts = new HashSet<>();
        alertRules().forEach(rule -> alerts.add(rule.path("alert").asText()));
        List<String> named = new ArrayList<>();
        for (JsonNode inhibition : DockerFiles.yaml("alertmanager/alertmanager.yml").path("inhibit_rules")) {
            for (String side : List.of("source_matchers", "target_matchers")) {
                for (JsonNode matcher : inhibition.path(side)) {
                    Matcher m = ALERTNAME.matcher(matcher.asText());
                    while (m.find()) {
                        named.addAll(List.of(m.group(1).split("\\|")));
                    }
                }
            }
        }

        assertFalse(named.isEmpty());
        for (String name : named) {
            assertTrue(alerts.contains(name), name + " is an alert of alerts.yml");
        }
    }

    /** The comment says 22:00-07:00 in Asia/Shanghai; the file says it in UTC, which the official image can read. */
    @Test
    void theQuietHoursAreThePlansNightInShanghai() {
        JsonNode interval = DockerFiles.yaml("alertmanager/alertmanager.yml").at("/time_intervals/0");
        JsonNode times = interval.at("/time_intervals/0/times/0");

        assertEquals("quiet-hours", interval.path("name").asText());
        assertTrue(interval.at("/time_intervals/0/location").isMissingNode(), "no location: the image has no time zone database");
        assertEquals(utc("22:00"), times.path("start_time").asText());
        assertEquals(utc("07:00"), times.path("end_time").asText());
    }

    private static String utc(String shanghai) {
        return LocalTime.parse(shanghai).atDate(LocalDate.of(2024, 1, 15)).atZone(ZoneId.of("Asia/Shanghai"))
                .withZoneSameInstant(ZoneOffset.UTC).toLocalTime().toString();
    }

    private static List<JsonNode> alertRules() {
        List<JsonNode> alerts = new ArrayList<>();
        DockerFiles.yaml("prometheus/alerts.yml").path("groups").findValues("rules")
                .forEach(rules -> rules.forEach(rule -> {
                    if (rule.has("alert")) {
                        alerts.add(rule);
                    }
                }));
        return alerts;
    }

    /** amtool must exit 0. */
    private static void amtool(String... args) throws Exception {
        Tools.requireOnPath("amtool", "prometheus-alertmanager");
        List<String> command = new ArrayList<>(List.of("amtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    }
}
