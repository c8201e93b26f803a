package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Sessions;
import dev.jot.server.error.ServerException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Sessions end to end (issue 4): refresh rotation, reuse detection, logout, password change — on H2 and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class SessionContractTest {
    static final String PASSWORD = "correct horse battery";

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    Http http;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create(databaseKind);
        clock = MutableClock.startingNow();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Http.disconnect(server.baseUrl());
            server.close();
        }
        database.close();
    }

    void start(Duration grace) {
        ServerConfig config = database.applyTo(TestConfigs.base(dataDir))
                .sessions(new Sessions(Duration.ofDays(30), Duration.ofDays(90), grace))
                .build();
        server = JotServer.start(config, clock);
        http = new Http("http://127.0.0.1:" + server.port());
    }

    Map<String, Object> register(String user) {
        HttpResponse<String> r = http.postJson("/register", Json.write(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.parseObject(r.body());
    }

    /** A login: {access_token, refresh_token, ...}. */
    Map<String, Object> login(String user) {
        HttpResponse<String> r = http.postJson("/login", Json.write(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    HttpResponse<String> refresh(Object refreshToken) {
        return http.postJson("/refresh", Json.write(Map.of("refresh_token", refreshToken)));
    }

    int me(Object accessToken) {
        return http.getAs((String) accessToken, "/me").statusCode();
    }

    static String code(HttpResponse<String> r) {
        return (String) Json.parseObject(r.body()).get("code");
    }

    @Test
    void loginHandsOutAnOpaqueRefreshTokenAndAnAccessTokenNamingTheSession() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> pair = login("ada");

        assertThat((String) pair.get("refresh_token")).matches("[A-Za-z0-9_-]{43}");
        assertThat(pair.get("expires_in")).isEqualTo(900L);
        var claims = Unverified.decode((String) pair.get("access_token")).claims();
        assertThat(claims.get("sid")).isInstanceOf(String.class);
        assertThat(me(pair.get("access_token"))).isEqualTo(200);
    }

    @Test
    void theRefreshTokenIsStoredOnlyAsItsHash() {
        start(Duration.ofSeconds(10));
        register("ada");
        String refresh = (String) login("ada").get("refresh_token");

        List<String> stored = server.services().database().jdbi().withHandle(h ->
                h.createQuery("SELECT token_hash FROM refresh_tokens").mapTo(String.class).list());
        assertThat(stored).hasSize(1).doesNotContain(refresh);
    }

    @Test
    void aRotationChainRefusesEveryOlderRefreshTokenAndTheNewestStillWorks() {
        start(Duration.ofSeconds(10));
        register("ada");
        List<String> chain = new ArrayList<>();
        chain.add((String) login("ada").get("refresh_token"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = refresh(chain.getLast());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            chain.add((String) Json.parseObject(r.body()).get("refresh_token"));
        }
        assertThat(chain).doesNotHaveDuplicates();
        String newest = chain.getLast();

        // Within the grace window, tokens older than the newest's predecessor are refused without ending the
        // session (stale duplicates); the predecessor itself is a retry and gets the newest again, not a new one.
        for (String old : chain.subList(0, chain.size() - 2)) {
            HttpResponse<String> r = refresh(old);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(code(r)).isEqualTo("token_invalid");
        }
        HttpResponse<String> retry = refresh(chain.get(chain.size() - 2));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(retry.body()).get("refresh_token")).isEqualTo(newest);

        HttpResponse<String> next = refresh(newest);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(me(Json.parseObject(next.body()).get("access_token"))).isEqualTo(200);
        for (String old : chain.subList(0, chain.size() - 1)) {
            assertThat(refresh(old).statusCode()).as("every token before the one just used").isEqualTo(401);
        }
    }

    @Test
    void twentyConcurrentRefreshesWithinTheGraceWindowAllGetTheOneNewHead() throws Exception {
        start(Duration.ofSeconds(10));
        register("ada");
        String refresh = (String) login("ada").get("refresh_token");

        List<HttpResponse<String>> answers = concurrently(20, () -> refresh(refresh));

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        List<String> heads = answers.stream().map(r -> (String) Json.parseObject(r.body()).get("refresh_token")).distinct().toList();
        assertThat(heads).as("exactly one new session head").hasSize(1);
        assertThat(answers).allSatisfy(r -> assertThat(me(Json.parseObject(r.body()).get("access_token"))).isEqualTo(200));
        assertThat(refresh(heads.getFirst()).statusCode()).isEqualTo(200);
    }

    @Test
    void withNoGraceTwentyConcurrentRefreshesEndTheSessionAndEveryTokenStopsWorking() throws Exception {
        start(Duration.ZERO);
        register("ada");
        String refresh = (String) login("ada").get("refresh_token");

        List<HttpResponse<String>> answers = concurrently(20, () -> refresh(refresh));

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 401));
        List<HttpResponse<String>> winners = answers.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(winners).hasSize(1);
        Map<String, Object> won = Json.parseObject(winners.getFirst().body());
        assertThat(me(won.get("access_token"))).isEqualTo(401);
        assertThat(refresh(won.get("refresh_token")).statusCode()).isEqualTo(401);
    }

    @Test
    void reuseAfterTheGraceWindowEndsTheWholeSessionAndIsAudited() {
        start(Duration.ofSeconds(10));
        String id = (String) register("ada").get("id");
        Map<String, Object> first = login("ada");
        Map<String, Object> second = Json.parseObject(refresh(first.get("refresh_token")).body());

        clock.advance(Duration.ofSeconds(11));
        HttpResponse<String> replay = refresh(first.get("refresh_token"));

        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(refresh(second.get("refresh_token")).statusCode()).as("the newest refresh token").isEqualTo(401);
        assertThat(me(second.get("access_token"))).as("the newest access token").isEqualTo(401);
        assertThat(me(first.get("access_token"))).isEqualTo(401);
        assertThat(server.services().audit().repository().recent(20))
                .anySatisfy(e -> {
                    assertThat(e.event()).isEqualTo(AuditEvent.REFRESH_REUSE);
                    assertThat(e.userId()).isEqualTo(id);
                });
    }

    @Test
    void aRetryWithinGraceGetsTheSameNewHead() {
        start(Duration.ofSeconds(10));
        register("ada");
        String r0 = (String) login("ada").get("refresh_token");
        Map<String, Object> a = Json.parseObject(refresh(r0).body());
        clock.advance(Duration.ofSeconds(5));

        HttpResponse<String> retry = refresh(r0);

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(retry.body()).get("refresh_token")).isEqualTo(a.get("refresh_token"));
    }

    @Test
    void anExpiredRefreshTokenIsRefusedAsExpired() {
        start(Duration.ofSeconds(10));
        register("ada");
        String r0 = (String) login("ada").get("refresh_token");
        clock.advance(Duration.ofDays(31));

        HttpResponse<String> r = refresh(r0);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(code(r)).isEqualTo("token_expired");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"jot\", error=\"invalid_token\""));
    }

    @Test
    void logoutRefusesTheAccessTokenOnTheNextRequestAndEndsTheSession() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> pair = login("ada");
        assertThat(me(pair.get("access_token"))).isEqualTo(200); // now in the guard's verified-token cache

        HttpResponse<String> out = http.postJsonAs((String) pair.get("access_token"), "/logout", null);

        assertThat(out.statusCode()).isEqualTo(204);
        HttpResponse<String> after = http.getAs((String) pair.get("access_token"), "/me");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(code(after)).isEqualTo("token_invalid");
        assertThat(refresh(pair.get("refresh_token")).statusCode()).isEqualTo(401);
    }

    @Test
    void logoutAllFromAnotherSessionEndsBoth() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> laptop = login("ada");
        Map<String, Object> phone = login("ada");
        register("bob");
        Map<String, Object> bob = login("bob");

        assertThat(http.postJsonAs((String) phone.get("access_token"), "/logout/all", null).statusCode()).isEqualTo(204);

        assertThat(me(laptop.get("access_token"))).isEqualTo(401);
        assertThat(me(phone.get("access_token"))).isEqualTo(401);
        assertThat(refresh(laptop.get("refresh_token")).statusCode()).isEqualTo(401);
        assertThat(refresh(phone.get("refresh_token")).statusCode()).isEqualTo(401);
        assertThat(me(bob.get("access_token"))).as("another user").isEqualTo(200);
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionButTheOneThatMadeIt() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> here = login("ada");
        Map<String, Object> elsewhere = login("ada");

        HttpResponse<String> change = http.postJsonAs((String) here.get("access_token"), "/me/password",
                Json.write(Map.of("current_password", PASSWORD, "new_password", "a much better passphrase")));

        assertThat(change.statusCode()).as(change.body()).isEqualTo(204);
        assertThat(me(elsewhere.get("access_token"))).isEqualTo(401);
        assertThat(refresh(elsewhere.get("refresh_token")).statusCode()).isEqualTo(401);
        assertThat(me(here.get("access_token"))).isEqualTo(200);
        assertThat(refresh(here.get("refresh_token")).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/login", Json.write(Map.of("username", "ada", "password", PASSWORD))).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aLoginThatVerifiedTheOldPasswordGetsNoSessionOnceThePasswordHasChanged() {
        start(Duration.ofSeconds(10));
        String id = (String) register("ada").get("id");
        var verifiedBeforeTheChange = server.services().users().findById(id).orElseThrow();
        Map<String, Object> here = login("ada");
        http.postJsonAs((String) here.get("access_token"), "/me/password",
                Json.write(Map.of("current_password", PASSWORD, "new_password", "a much better passphrase")));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.services().accounts().startSession(verifiedBeforeTheChange, "jot"))
                .isInstanceOfSatisfying(ServerException.class, p -> assertThat(p.error().code()).isEqualTo("invalid_credentials"));
    }

    @Test
    void finishedSessionsAreDeletedADayAfterTheyEnd() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> ended = login("ada");
        login("ada");
        http.postJsonAs((String) ended.get("access_token"), "/logout", null);

        clock.advance(Duration.ofDays(1).plus(Duration.ofMinutes(11)));
        server.services().jobs().runNow(Services.PURGE);

        long sessions = server.services().database().jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM sessions").mapTo(Long.class).one());
        assertThat(sessions).as("only the live session is left").isEqualTo(1);
    }

    @Test
    void aPasswordChangeNeedsTheCurrentPassword() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> here = login("ada");

        HttpResponse<String> change = http.postJsonAs((String) here.get("access_token"), "/me/password",
                Json.write(Map.of("current_password", "not my password", "new_password", "a much better passphrase")));

        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(code(change)).isEqualTo("invalid_credentials");
        assertThat(refresh(here.get("refresh_token")).statusCode()).isEqualTo(200);
    }

    @Test
    void aDisabledUserCannotRefresh() {
        start(Duration.ofSeconds(10));
        String id = (String) register("ada").get("id");
        String r0 = (String) login("ada").get("refresh_token");
        server.services().users().setDisabled(id, true);

        assertThat(refresh(r0).statusCode()).isEqualTo(401);
    }

    @Test
    void aRevokedTokenStaysRefusedAfterARestart() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> pair = login("ada");
        http.postJsonAs((String) pair.get("access_token"), "/logout", null);
        server.close();
        server = null;

        start(Duration.ofSeconds(10));

        assertThat(me(pair.get("access_token"))).isEqualTo(401);
    }

    @Test
    void denylistEntriesVanishOnceNoTokenTheyCoverCanBeAccepted() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> pair = login("ada");
        http.postJsonAs((String) pair.get("access_token"), "/logout", null);
        assertThat(revocationRows()).isPositive();

        clock.advance(Duration.ofMinutes(15).plus(Duration.ofMinutes(11))); // past the token lifetime + skew
        server.services().jobs().runNow(Services.PURGE);

        assertThat(revocationRows()).isZero();
    }

    long revocationRows() {
        return server.services().database().jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM revocations").mapTo(Long.class).one());
    }

    static java.util.stream.Stream<String> badRefreshBodies() {
        return java.util.stream.Stream.of("{}", "{\"refresh_token\":42}", "{\"refresh_token\":\"\"}",
                "{\"refresh_token\":\"" + "x".repeat(5000) + "\"}", "[1]", "not json");
    }

    @Test
    void badRefreshRequestsGetFourHundredsAndNeverAFiveHundred() {
        start(Duration.ofSeconds(10));
        for (String body : badRefreshBodies().toList()) {
            HttpResponse<String> r = http.postJson("/refresh", body);
            assertThat(r.statusCode()).as(body).isBetween(400, 499);
        }
        assertThat(http.post("/refresh", "text/plain", "x").statusCode()).isEqualTo(415);
    }

    @Test
    void sessionRoutesWithoutATokenAre401TokenMissing() {
        start(Duration.ofSeconds(10));
        for (String path : List.of("/logout", "/logout/all", "/me/password")) {
            HttpResponse<String> r = http.postJson(path, "{}");
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(code(r)).as(path).isEqualTo("token_missing");
        }
    }

    @Test
    void badPasswordChangeRequestsAreRefusedAndChangeNothing() {
        start(Duration.ofSeconds(10));
        register("ada");
        String access = (String) login("ada").get("access_token");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("not json", "invalid_request");
        cases.put("{\"current_password\":\"" + PASSWORD + "\"}", "invalid_request");
        cases.put("{\"current_password\":\"" + PASSWORD + "\",\"new_password\":42}", "invalid_request");
        cases.put("{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"short\"}", "invalid_password");
        cases.put("{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"ada\"}", "invalid_password");
        cases.put("{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + "x".repeat(70_000) + "\"}", "payload_too_large");
        cases.forEach((body, expected) -> {
            HttpResponse<String> r = http.postJsonAs(access, "/me/password", body);
            assertThat(r.statusCode()).as(body.substring(0, Math.min(60, body.length()))).isBetween(400, 499);
            assertThat(code(r)).as(body.substring(0, Math.min(60, body.length()))).isEqualTo(expected);
        });
        assertThat(http.postJson("/login", Json.write(Map.of("username", "ada", "password", PASSWORD))).statusCode())
                .as("the password is unchanged").isEqualTo(200);
    }

    @Test
    void aLogoutWithABadBodyIsRefusedAndEndsNothing() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> pair = login("ada");
        for (String body : List.of("not json", "{\"refresh_token\":42}", "[1]")) {
            HttpResponse<String> r = http.postJsonAs((String) pair.get("access_token"), "/logout", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(me(pair.get("access_token"))).isEqualTo(200);
    }

    @Test
    void logoutWithSomeoneElsesRefreshTokenLeavesTheirSessionAlone() {
        start(Duration.ofSeconds(10));
        register("ada");
        register("bob");
        Map<String, Object> ada = login("ada");
        Map<String, Object> bob = login("bob");

        HttpResponse<String> out = http.postJsonAs((String) ada.get("access_token"), "/logout",
                Json.write(Map.of("refresh_token", bob.get("refresh_token"))));

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(me(bob.get("access_token"))).isEqualTo(200);
        assertThat(refresh(bob.get("refresh_token")).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWithTheRefreshTokenOfAnotherOwnSessionEndsThatOneToo() {
        start(Duration.ofSeconds(10));
        register("ada");
        Map<String, Object> here = login("ada");
        Map<String, Object> there = login("ada");

        http.postJsonAs((String) here.get("access_token"), "/logout", Json.write(Map.of("refresh_token", there.get("refresh_token"))));

        assertThat(me(there.get("access_token"))).isEqualTo(401);
        assertThat(refresh(there.get("refresh_token")).statusCode()).isEqualTo(401);
    }

    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
