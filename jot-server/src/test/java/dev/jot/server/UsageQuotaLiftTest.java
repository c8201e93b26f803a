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
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's builders meant an admin to be able to lift a used-up quota ("a caller past its quota can still read
 * /me/usage and an admin can lift it"). Raising a user's day quota after the feed announced it used up should take
 * the announcement back: a guard that (re)connects should not get it in the feed's snapshot. Today it does, until
 * the next UTC midnight, so guards keep refusing the user whatever the admin sets (docs/server.md says so).
 */
@Disabled("bug found while documenting issue 11: raising or deleting a quota does not withdraw its feed quota event")
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
        try (SseStream feed = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + shipper)) {
            assertThat(feed.until("ready", Duration.ofSeconds(10))).as("the quota is announced used up")
                    .anySatisfy(e -> assertThat(e.type()).isEqualTo("quota"));
        }

        api.expect(200, admin, "PUT", "/admin/users/" + carol + "/quota", Map.of("day", 1000));
        server.services().jobs().runNow(UsageService.APPLY);

        try (SseStream feed = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + shipper)) {
            assertThat(feed.until("ready", Duration.ofSeconds(10))).as("a new guard's snapshot after the quota was raised")
                    .noneSatisfy(e -> assertThat(Json.parseObject(e.data())).containsEntry("value", carol));
        }
    }
}
