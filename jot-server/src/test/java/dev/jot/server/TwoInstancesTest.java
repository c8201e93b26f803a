package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server instances sharing one PostgreSQL database (issue 4): a revocation made on one is enforced by the
 * other within one second (LISTEN/NOTIFY), and still after the other restarts (the table is the truth).
 */
class TwoInstancesTest {
    static final String PASSWORD = "correct horse battery";
    static final Duration BOUND = Duration.ofSeconds(1);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    TestDatabase database;
    JotServer a;
    JotServer b;

    @BeforeEach
    void start() {
        database = TestDatabase.create("postgres");
        byte[] masterKey = new byte[32]; // instances sharing a database share the key that encrypts its signing keys
        new SecureRandom().nextBytes(masterKey);
        a = JotServer.start(config(dirA, masterKey));
        b = JotServer.start(config(dirB, masterKey));
    }

    ServerConfig config(Path dir, byte[] masterKey) {
        return database.applyTo(TestConfigs.base(dir)).masterKey(masterKey).build();
    }

    @AfterEach
    void stop() {
        for (JotServer s : new JotServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        database.close();
    }

    static Http http(JotServer s) {
        return new Http("http://127.0.0.1:" + s.port());
    }

    @Test
    void aLogoutOnOneInstanceIsEnforcedByTheOtherWithinOneSecondAndAfterItRestarts() throws Exception {
        http(a).postJson("/register", Json.write(Map.of("username", "ada", "password", PASSWORD)));
        String access = (String) Json.parseObject(http(a).postJson("/login",
                Json.write(Map.of("username", "ada", "password", PASSWORD))).body()).get("access_token");
        assertThat(http(b).getAs(access, "/me").statusCode()).as("B accepts A's token (and caches it)").isEqualTo(200);

        long loggedOut = System.nanoTime();
        assertThat(http(a).postJsonAs(access, "/logout", null).statusCode()).isEqualTo(204);
        Duration refusedAfter = null;
        while (System.nanoTime() - loggedOut < BOUND.multipliedBy(5).toNanos()) {
            if (http(b).getAs(access, "/me").statusCode() == 401) {
                refusedAfter = Duration.ofNanos(System.nanoTime() - loggedOut);
                break;
            }
            Thread.sleep(10);
        }
        assertThat(refusedAfter).as("B refuses the token").isNotNull();
        assertThat(refusedAfter).as("within the bound").isLessThan(BOUND);
        org.slf4j.LoggerFactory.getLogger(TwoInstancesTest.class)
                .info("A's logout was enforced by B after {} ms (bound {} ms)", refusedAfter.toMillis(), BOUND.toMillis());

        b.close();
        b = JotServer.start(config(dirB, b.config().masterKey()));
        HttpResponse<String> afterRestart = http(b).getAs(access, "/me");
        assertThat(afterRestart.statusCode()).isEqualTo(401);
    }

    @Test
    void aRefreshRetriedOnTheOtherInstanceGetsTheSameNewHead() {
        http(a).postJson("/register", Json.write(Map.of("username", "ada", "password", PASSWORD)));
        String refresh = (String) Json.parseObject(http(a).postJson("/login",
                Json.write(Map.of("username", "ada", "password", PASSWORD))).body()).get("refresh_token");

        HttpResponse<String> onA = http(a).postJson("/refresh", Json.write(Map.of("refresh_token", refresh)));
        HttpResponse<String> onB = http(b).postJson("/refresh", Json.write(Map.of("refresh_token", refresh)));

        assertThat(onA.statusCode()).isEqualTo(200);
        assertThat(onB.statusCode()).as("a retry within the grace window gets the same head").isEqualTo(200);
        assertThat(Json.parseObject(onB.body()).get("refresh_token")).isEqualTo(Json.parseObject(onA.body()).get("refresh_token"));
    }

    @Test
    void aKeyDeletedAndAUserDisabledOnOneInstanceAreEnforcedByTheOther() throws Exception {
        Api onA = new Api(a);
        String admin = onA.admin("root");
        String adaId = onA.register("ada");
        String ada = onA.login("ada");
        Map<String, Object> key = onA.apiKey(ada, Map.of("name", "k"));
        String keyToken = onA.clientToken((String) key.get("id"), (String) key.get("key"));
        assertThat(http(b).getAs(keyToken, "/me").statusCode()).isEqualTo(200);
        assertThat(http(b).getAs(ada, "/me").statusCode()).isEqualTo(200);

        onA.expect(204, ada, "DELETE", "/api-keys/" + key.get("id"), null);
        awaitRefusedByB(keyToken);
        onA.expect(200, admin, "PATCH", "/admin/users/" + adaId, Map.of("disabled", true));
        awaitRefusedByB(ada);
    }

    private void awaitRefusedByB(String token) throws InterruptedException {
        long start = System.nanoTime();
        while (http(b).getAs(token, "/me").statusCode() != 401) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("B refuses it").isLessThan(BOUND.multipliedBy(5));
            Thread.sleep(10);
        }
    }
}
