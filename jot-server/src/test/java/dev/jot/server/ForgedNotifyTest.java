package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 2: a {@code NOTIFY} is only a hint. Any role that can connect to the database can send one on the
 * instances' channel; a forged denial whose row does not exist (or names a far expiry it cannot carry) must not
 * refuse anybody's tokens.
 */
class ForgedNotifyTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    TestDatabase database;
    JotServer server;

    @BeforeEach
    void start() {
        database = TestDatabase.create("postgres");
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        server = JotServer.start(database.applyTo(TestConfigs.base(dir)).masterKey(masterKey).build());
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    @Test
    void aForgedNotifyWithoutItsRowDeniesNothing() throws Exception {
        Http http = new Http(server.baseUrl());
        Map<String, Object> ada = login(http, "ada");
        Map<String, Object> bob = login(http, "bob");
        String adaToken = (String) ada.get("access_token");
        String adaSubject = (String) Json.parseObject(http.getAs(adaToken, "/me").body()).get("id");
        String adaSid = sid(adaToken);

        try (Connection c = DriverManager.getConnection(database.env().get("JOT_DB_URL"), PostgresSchemas.USER,
                PostgresSchemas.PASSWORD); Statement s = c.createStatement()) {
            String channel;
            try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                channel = "jot_events_" + rs.getString(1);
            }
            for (String forged : new String[] {"revoked:sid:" + adaSid, "revoked:sub:" + adaSubject,
                    "revoked:jti:" + adaSid, "revoked:sub:" + adaSubject + ":9999-12-31T00:00:00Z", "keys:x"}) {
                s.execute("SELECT pg_notify('" + channel + "', '" + forged + "')");
            }
        }
        // A genuine denial sent after the forged ones: once it is applied, the forged ones have been heard too
        // (PostgreSQL delivers one connection's notifications in order).
        assertThat(http.postJsonAs((String) bob.get("access_token"), "/logout", null).statusCode()).isEqualTo(204);
        awaitRefused(http, (String) bob.get("access_token"));

        assertThat(http.getAs(adaToken, "/me").statusCode()).as("ada's token is still accepted").isEqualTo(200);
    }

    private static void awaitRefused(Http http, String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && http.getAs(token, "/me").statusCode() != 401) {
            Thread.sleep(20);
        }
        assertThat(http.getAs(token, "/me").statusCode()).isEqualTo(401);
    }

    private static Map<String, Object> login(Http http, String user) {
        http.postJson("/register", Json.write(Map.of("username", user, "password", PASSWORD)));
        return Json.parseObject(http.postJson("/login", Json.write(Map.of("username", user, "password", PASSWORD))).body());
    }

    private static String sid(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return (String) Json.parseObject(payload).get("sid");
    }
}
