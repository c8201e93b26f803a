package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import dev.jot.server.throttle.Throttle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Brute-force protection (issue 10): growing delays per account, address and pair, answered 429 without hashing,
 * alike for known and unknown names, on every password route, on H2 and PostgreSQL. The server's clock is a
 * {@link MutableClock}: delays pass by advancing it. Clients are told apart by {@code X-Forwarded-For}, which the
 * server believes because the test's loopback peer is a configured trusted proxy.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class ThrottleTest {
    static final String PASSWORD = "correct horse battery";
    static final String WRONG = "wrong horse battery";
    static final String HOME = "203.0.113.10";
    static final String ATTACKER = "198.51.100.66";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    String base;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        clock = MutableClock.startingNow();
        start(database.applyTo(TestConfigs.base(dataDir))
                // the defaults, which TestConfigs loosens for every other test
                .set(Settings.THROTTLE_ACCOUNT_FREE, Settings.THROTTLE_ACCOUNT_FREE.defaultValue())
                .set(Settings.THROTTLE_ADDRESS_FREE, 8)
                .set(Settings.THROTTLE_REGISTER_FREE, 6)
                .set(Settings.TRUSTED_PROXIES, List.of("127.0.0.0/8", "::1")).build());
    }

    void start(ServerConfig config) {
        server = JotServer.start(config, clock);
        base = server.baseUrl();
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    @Test
    void fiveFreeFailuresThenDelaysThatDoubleAndTheRightPasswordWorksOnceTheDelayHasPassed() {
        register("alice", HOME);
        for (int i = 0; i < 5; i++) {
            assertThat(login("alice", WRONG, HOME).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = login("alice", PASSWORD, HOME);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(throttled)).containsEntry("code", "rate_limited");

        clock.advance(Duration.ofSeconds(1));
        assertThat(login("alice", WRONG, HOME).statusCode()).isEqualTo(401);
        assertThat(login("alice", PASSWORD, HOME).headers().firstValue("Retry-After")).hasValue("2");
        clock.advance(Duration.ofSeconds(2));
        assertThat(login("alice", WRONG, HOME).statusCode()).isEqualTo(401);
        assertThat(login("alice", PASSWORD, HOME).headers().firstValue("Retry-After")).hasValue("4");

        clock.advance(Duration.ofSeconds(4));
        assertThat(login("alice", PASSWORD, HOME).statusCode()).isEqualTo(200);
    }

    @Test
    void theDelayIsCappedAtTheMaximumAndNeverBecomesALockout() {
        register("alice", HOME);
        for (int i = 0; i < 30; i++) {
            assertThat(login("alice", WRONG, HOME).statusCode()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(15));
        }
        assertThat(login("alice", PASSWORD, HOME).statusCode()).isEqualTo(200);
    }

    @Test
    void aThrottledAttemptIsAnsweredWithoutHashingAndAlikeForKnownAndUnknownNames() {
        register("alice", HOME);
        for (int i = 0; i < 5; i++) {
            login("alice", WRONG, HOME);
            login("nobody", WRONG, ATTACKER);
        }
        long hashesBefore = server.services().hasher().slots().ran();

        HttpResponse<String> known = login("alice", PASSWORD, HOME);
        HttpResponse<String> unknown = login("nobody", PASSWORD, ATTACKER);

        assertThat(server.services().hasher().slots().ran()).as("no hash for a throttled attempt").isEqualTo(hashesBefore);
        assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(429);
        assertThat(known.body()).isEqualTo(unknown.body());
        assertThat(known.headers().map().get("Retry-After")).isEqualTo(unknown.headers().map().get("Retry-After"));
        assertThat(audit(Throttle.THROTTLE_STARTED)).contains("account:alice", "account:nobody");
    }

    @Test
    void oneAddressTryingManyNamesMeetsTheLooserPerAddressBudget() {
        for (int i = 0; i < 8; i++) {
            assertThat(login("user" + i, WRONG, ATTACKER).statusCode()).isEqualTo(401);
        }
        assertThat(login("someone-else", WRONG, ATTACKER).statusCode()).isEqualTo(429);
        assertThat(login("someone-else", WRONG, HOME).statusCode()).as("another address").isEqualTo(401);
    }

    @Test
    void failuresFromElsewhereDoNotLockTheOwnerOutOfAnAddressTheyLoggedInFrom() {
        register("alice", HOME);
        assertThat(login("alice", PASSWORD, HOME).statusCode()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(login("alice", WRONG, ATTACKER).statusCode()).isEqualTo(401);
        }
        assertThat(login("alice", WRONG, ATTACKER).statusCode()).as("the attacker waits").isEqualTo(429);
        assertThat(login("alice", PASSWORD, "192.0.2.44").statusCode()).as("a new address waits too").isEqualTo(429);
        assertThat(login("alice", PASSWORD, HOME).statusCode()).as("the owner's known address").isEqualTo(200);
    }

    @Test
    void theOAuthPasswordGrantIsThrottledInTheRfc6749Shape() {
        register("alice", HOME);
        for (int i = 0; i < 5; i++) {
            assertThat(tokenGrant("alice", WRONG).statusCode()).isEqualTo(400);
        }
        HttpResponse<String> r = tokenGrant("alice", PASSWORD);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(r)).containsEntry("error", "temporarily_unavailable");
    }

    @Test
    void wrongCurrentPasswordsAtAPasswordChangeAreAuditedAndThrottled() {
        register("alice", HOME);
        String token = (String) json(login("alice", PASSWORD, HOME)).get("access_token");
        for (int i = 0; i < 5; i++) {
            assertThat(changePassword(token, WRONG).statusCode()).isEqualTo(403);
        }
        assertThat(changePassword(token, PASSWORD).statusCode()).isEqualTo(429);
        assertThat(audit(AuditEvent.PASSWORD_CHANGE_FAILURE)).hasSize(5);
    }

    @Test
    void registrationsFromOneAddressAreThrottled() {
        for (int i = 0; i < 6; i++) {
            assertThat(register("user" + i, ATTACKER).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> r = register("user6", ATTACKER);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(json(r)).containsEntry("code", "rate_limited");
        assertThat(register("user6", HOME).statusCode()).isEqualTo(201);
    }

    @Test
    void anAdministratorListsThrottledKeysAndUnlocksOne() {
        register("root", HOME);
        server.services().accounts().grantRole("root", "admin");
        String admin = (String) json(login("root", PASSWORD, HOME)).get("access_token");
        register("alice", HOME);
        for (int i = 0; i < 5; i++) {
            login("alice", WRONG, ATTACKER);
        }
        HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(base + "/admin/throttles"))
                .header("Authorization", "Bearer " + admin).GET());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"key\":\"account:alice\"", "\"key\":\"address:" + ATTACKER + "\"");

        HttpResponse<String> unlock = send(HttpRequest.newBuilder(URI.create(base + "/admin/throttles/account:alice"))
                .header("Authorization", "Bearer " + admin).DELETE());
        assertThat(unlock.statusCode()).isEqualTo(204);
        assertThat(login("alice", PASSWORD, "192.0.2.44").statusCode()).isEqualTo(200);

        HttpResponse<String> notAdmin = send(HttpRequest.newBuilder(URI.create(base + "/admin/throttles"))
                .header("Authorization", "Bearer " + json(login("alice", PASSWORD, HOME)).get("access_token")).GET());
        assertThat(notAdmin.statusCode()).isEqualTo(403);
    }

    @Test
    void jotAdminUnlockForgetsTheAccountsFailures() {
        register("alice", HOME);
        for (int i = 0; i < 6; i++) {
            login("alice", WRONG, ATTACKER);
        }
        assertThat(login("alice", PASSWORD, "192.0.2.44").statusCode()).isEqualTo(429);
        assertThat(server.services().accounts().unlock("Alice")).isEqualTo(2); // account:alice and its pair
        assertThat(login("alice", PASSWORD, "192.0.2.44").statusCode()).isEqualTo(200);
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
        server.close();
        start(database.applyTo(TestConfigs.base(dataDir))
                .set(Settings.THROTTLE_ADDRESS_FREE, 3).set(Settings.THROTTLE_ACCOUNT_FREE, 1000).build());
        for (int i = 0; i < 3; i++) {
            login("user" + i, WRONG, "192.0.2." + i); // a different forged address each time
        }
        assertThat(login("user9", WRONG, "192.0.2.99").statusCode()).as("throttled as 127.0.0.1").isEqualTo(429);
        assertThat(audit(AuditEvent.LOGIN_FAILURE)).allMatch(a -> a.equals("127.0.0.1"));
    }

    // ---- helpers ----

    private HttpResponse<String> register(String user, String from) {
        return send(HttpRequest.newBuilder(URI.create(base + "/register")).header("Content-Type", "application/json")
                .header("X-Forwarded-For", from)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}")));
    }

    private HttpResponse<String> login(String user, String password, String from) {
        return send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/json")
                .header("X-Forwarded-For", from)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")));
    }

    private HttpResponse<String> tokenGrant(String user, String password) {
        return send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", HOME)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + user + "&password="
                        + password.replace(' ', '+'))));
    }

    private HttpResponse<String> changePassword(String token, String current) {
        return send(HttpRequest.newBuilder(URI.create(base + "/me/password")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("X-Forwarded-For", HOME)
                .POST(HttpRequest.BodyPublishers.ofString("{\"current_password\":\"" + current
                        + "\",\"new_password\":\"a brand new password\"}")));
    }

    /** The detail (throttle events) or client address (others) of each audit row of {@code event}. */
    private List<String> audit(String event) {
        return server.services().audit().repository().recent(1000).stream().filter(e -> e.event().equals(event))
                .map(e -> e.event().startsWith("throttle") ? e.detail() : e.clientAddress()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return Json.parseObject(r.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return CLIENT.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
