package org.opinionwatch.contract.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NamedIdsTest {
    private static String jdk(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void givesTheJdksNameBasedUuidForAnyName() {
        List<String> names = new ArrayList<>(List.of("", "inc-1|1717423200000|3", "weibo-ced:2550_7dfzVB|duties|LEADERSHIP|0|",
                "舆情|每日报告|2024-06-03", "a".repeat(10_000)));
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            names.add(random.ints(random.nextInt(200), 0, 0x3000).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                    StringBuilder::append).toString());
        }
        for (String name : names) {
            assertEquals(jdk(name), NamedIds.of(name), name);
        }
    }

    @Test
    void threadsDoNotShareADigestMidway() {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String prefix = "thread-" + t + "|";
            runs.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20_000; i++) {
                    assertEquals(jdk(prefix + i), NamedIds.of(prefix + i));
                }
            }));
        }
        runs.forEach(CompletableFuture::join);
    }
}
