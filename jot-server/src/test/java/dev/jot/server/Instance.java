package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.Unverified;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.keys.SigningKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** One running server as the key tests see it: over HTTP, plus its signing keys for what HTTP does not show. */
final class Instance implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";

    final JotServer server;
    final Http http;

    private Instance(JotServer server) {
        this.server = server;
        this.http = new Http(server.baseUrl());
    }

    static Instance start(ServerConfig config, Clock clock) {
        return new Instance(JotServer.start(config, clock));
    }

    SigningKeys keys() {
        return server.services().keys();
    }

    /** Runs the key-maintenance job now (publish a next key, rotate when due by the test's clock). */
    void maintainKeys() {
        server.services().jobs().runNow(Services.KEY_MAINTENANCE);
    }

    /** The next key after a maintenance run: published, not signing. */
    String nextKey() {
        maintainKeys();
        String next = keys().ring().nextKid().orElseThrow(() -> new AssertionError("no next key after maintenance"));
        assertThat(publishedKids()).as("the next key is published").contains(next);
        return next;
    }

    void register(String user) {
        HttpResponse<String> r = http.postJson("/register", creds(user));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** A fresh access token for {@code user}. */
    String token(String user) {
        HttpResponse<String> r = http.postJson("/login", creds(user));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body()).get("access_token");
    }

    /** The kid a fresh token is signed with: the active key as this instance sees it. */
    String signingKid(String user) {
        return kid(token(user));
    }

    HttpResponse<String> jwksResponse() {
        HttpResponse<String> r = http.get("/.well-known/jwks.json");
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    Jwks jwks() {
        return Jwks.parse(jwksResponse().body());
    }

    List<String> publishedKids() {
        return jwks().keys().stream().map(Jwk::kid).toList();
    }

    /** {@code GET /me} with the token: the status, and the problem code when refused. */
    String me(String token) {
        HttpResponse<String> r = http.get("/me", "Authorization", "Bearer " + token);
        return r.statusCode() == 200 ? "200" : r.statusCode() + " " + Json.parseObject(r.body()).get("code");
    }

    @Override
    public void close() {
        Http.disconnect(server.baseUrl());
        server.close();
    }

    static String kid(String token) {
        return (String) Unverified.decode(token).header().get("kid");
    }

    private static String creds(String user) {
        return Json.write(Map.of("username", user, "password", PASSWORD));
    }

    /** Runs one SQL statement on the configured database, outside any server (a test's way to set a scene). */
    static void sql(ServerConfig config, String statement) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.effectiveDbUrl(), config.dbUser(),
                config.dbPassword()); java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for {@code condition} (polling every 50 ms); returns how long it took, fails after {@code timeout}. */
    static Duration await(Duration timeout, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
