package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.config.Settings;
import dev.jot.server.usage.UsageService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin lifts a used-up quota by raising or removing it: the announcement is taken back, on the open feed (an
 * {@code event: quota} with policy {@code lifted}) and in every later snapshot (the used-up quota is gone from it).
 */
class UsageQuotaLiftTest {
    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    Api api;

    @BeforeEach
    void start() {
        database = TestDatabase.create("h2");
        clock = new MutableClock(LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC));
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir))
                .set(Settings.API, List.of(UsageContractTest.ORDERS)).build(), clock);
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        database.close();
    }

    @Test
    void raisingAUsedUpDayQuotaTakesItOffTheFeed() {
        String admin = api.admin("root");
        Map<String, Object> c = api.client(admin, Map.of("name", "orders-api", "scopes", List.of("jot:usage",
                "jot:revocations")));
        String shipper = api.clientToken((String) c.get("client_id"), (String) c.get("client_secret"));
        String carol = api.register("carol");
        long minute = clock.instant().getEpochSecond() - 600;
        api.expect(200, admin, "PUT", "/admin/users/" + carol + "/quota", Map.of("day", 10));
        api.http.raw(shipper, "POST", "/usage/batches", "application/json", UsageContractTest.batch("lift-1",
                List.of(UsageContractTest.count(minute, carol, null, "/a", "2xx", 10))));
        server.services().jobs().runNow(UsageService.APPLY);
        try (SseStream open = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + shipper)) {
            assertThat(open.until("ready", Duration.ofSeconds(10))).as("the quota is announced used up")
                    .anySatisfy(e -> assertThat(Json.parseObject(e.data())).containsEntry("value", carol)
                            .containsEntry("policy", "day"));

            api.expect(200, admin, "PUT", "/admin/users/" + carol + "/quota", Map.of("day", 1000));
            server.services().jobs().runNow(UsageService.APPLY);
            assertThat(open.until("quota", Duration.ofSeconds(10))).as("a subscriber hears it taken back")
                    .anySatisfy(e -> assertThat(Json.parseObject(e.data())).containsEntry("value", carol)
                            .containsEntry("policy", "lifted"));
        }

        try (SseStream feed = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + shipper)) {
            assertThat(feed.until("ready", Duration.ofSeconds(10))).as("a new guard's snapshot after the quota was raised")
                    .noneSatisfy(e -> assertThat(Json.parseObject(e.data())).containsEntry("value", carol)
                            .containsEntry("policy", "day"));
        }
    }
}
