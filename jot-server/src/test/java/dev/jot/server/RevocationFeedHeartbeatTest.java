package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.SseStream.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quiet feed sends a comment every 15 s, so that proxies and subscribers can tell it from a dead connection. */
class RevocationFeedHeartbeatTest {
    @TempDir
    Path dataDir;

    @Test
    void aQuietFeedSendsAHeartbeatCommentEveryFifteenSeconds() {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).build())) {
            Http http = new Http(server.baseUrl());
            String creds = Json.write(Map.of("username", "root", "password", "correct horse battery"));
            http.postJson("/register", creds);
            server.services().accounts().grantRole("root", "admin");
            String admin = (String) Json.parseObject(http.postJson("/login", creds).body()).get("access_token");

            try (SseStream feed = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + admin)) {
                feed.until("ready", Duration.ofSeconds(10));
                long start = System.nanoTime();
                Event ping = feed.next(Duration.ofSeconds(45));
                Duration after = Duration.ofNanos(System.nanoTime() - start);

                assertThat(ping).isEqualTo(new Event(":", null, "ping"));
                assertThat(after).isBetween(Duration.ofSeconds(14), Duration.ofSeconds(45));
            }
        }
    }
}
