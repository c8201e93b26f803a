package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.jwt.JwtException;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10, items 3, 7 and 8 on H2 and PostgreSQL: signing-key rows that fail their MAC are not published;
 * retention of audit rows, spent refresh tokens and ended sessions; the per-user cap on live sessions; the HS256
 * kid.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class RetentionAndKeysTest {
    static final String PASSWORD = "correct horse battery";

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock = MutableClock.startingNow();
    JotServer server;
    Http http;

    JotServer start(ServerConfig.Builder config) {
        if (database == null) {
            database = TestDatabase.create(databaseKind);
        }
        server = JotServer.start(database.applyTo(config).build(), clock);
        http = new Http(server.baseUrl());
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Http.disconnect(server.baseUrl());
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aLoginBeyondTheCapEndsTheUsersOldestSession() {
        start(TestConfigs.base(dataDir).set(Settings.MAX_SESSIONS_PER_USER, 3));
        register("ada");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tokens.add((String) login("ada").get("access_token"));
            clock.advance(Duration.ofSeconds(1));
        }
        List<Integer> statuses = tokens.stream().map(t -> http.getAs(t, "/me").statusCode()).toList();
        assertThat(statuses).containsExactly(401, 401, 200, 200, 200);
    }

    @Test
    void thePurgeDeletesAuditRowsSpentTokensAndEndedSessionsPastTheirRetention() {
        start(TestConfigs.base(dataDir).set(Settings.AUDIT_RETENTION, Duration.ofDays(7))
                .set(Settings.SPENT_TOKEN_RETENTION, Duration.ofHours(2))
                .set(Settings.ENDED_SESSION_RETENTION, Duration.ofHours(1)));
        register("ada");
        Map<String, Object> first = login("ada");
        HttpResponse<String> refreshed = http.postJson("/refresh", Json.write(Map.of("refresh_token", first.get("refresh_token"))));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        Map<String, Object> other = login("ada");
        http.postJsonAs((String) other.get("access_token"), "/logout", null);
        int auditRows = auditRows();

        clock.advance(Duration.ofMinutes(90));
        server.services().jobs().runNow(Services.PURGE);
        assertThat(sessionRows()).as("the ended session is gone after 1 h").isEqualTo(1);
        assertThat(spentTokenRows()).as("a spent token is kept 2 h").isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        server.services().jobs().runNow(Services.PURGE);
        assertThat(spentTokenRows()).isZero();
        assertThat(auditRows()).isEqualTo(auditRows);

        clock.advance(Duration.ofDays(7));
        server.services().jobs().runNow(Services.PURGE);
        assertThat(auditRows()).isZero();
    }

    @Test
    void aSigningKeyRowChangedInTheDatabaseIsNotPublished() {
        start(TestConfigs.base(dataDir));
        server.services().jobs().runNow(Services.KEY_MAINTENANCE); // publishes the next key
        String next = server.services().keys().ring().nextKid().orElseThrow();
        assertThat(http.get("/.well-known/jwks.json").body()).contains(next);

        // Someone with write access but no master key swaps the next key's public half for one of their own.
        String forgedKey = server.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT public_jwk FROM signing_keys WHERE kid <> :kid").bind("kid", next).mapTo(String.class).first());
        server.services().database().jdbi().useHandle(h -> h.createUpdate(
                "UPDATE signing_keys SET public_jwk = :pub WHERE kid = :kid").bind("pub", forgedKey).bind("kid", next).execute());
        server.services().keys().reload();

        assertThat(http.get("/.well-known/jwks.json").body()).doesNotContain(next);
        register("ada");
        assertThat(login("ada")).containsKey("access_token"); // the active key still signs
    }

    @Test
    void theHs256KidIsRandomAndStaysTheSameAcrossRestarts() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        ServerConfig.Builder hs256 = TestConfigs.base(dataDir).signingAlg(dev.jot.jwt.Algorithm.HS256).hmacSecret(secret);
        start(hs256);
        register("ada");
        String kid = kidOf((String) login("ada").get("access_token"));
        String thumbprint = dev.jot.jwt.OctJwk.of(secret).thumbprint();
        assertThat(kid).isNotEqualTo(thumbprint).hasSizeGreaterThanOrEqualTo(22);

        server.close();
        start(hs256);
        assertThat(kidOf((String) login("ada").get("access_token"))).isEqualTo(kid);
    }

    private static String kidOf(String jwt) throws JwtException {
        return (String) Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]),
                java.nio.charset.StandardCharsets.UTF_8)).get("kid");
    }

    private int auditRows() {
        return server.services().audit().repository().recent(10_000).size();
    }

    private int sessionRows() {
        return server.services().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions")
                .mapTo(Integer.class).one());
    }

    private int spentTokenRows() {
        return server.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM refresh_tokens WHERE spent_at IS NOT NULL").mapTo(Integer.class).one());
    }

    private void register(String user) {
        assertThat(http.postJson("/register", Json.write(Map.of("username", user, "password", PASSWORD))).statusCode())
                .isEqualTo(201);
    }

    private Map<String, Object> login(String user) {
        HttpResponse<String> r = http.postJson("/login", Json.write(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }
}
