package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.JotServer;
import dev.jot.server.TestDatabase;
import dev.jot.server.config.Argon2Params;
import dev.jot.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Jot server in this JVM on a free port, on H2 or PostgreSQL, with the users the tests need: {@code ada}
 * (no role) and {@code root} (role admin). Its clock can be sent back in time to issue expired tokens.
 */
final class Jot implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    /** Argon2 made cheap: tests log in often (the defaults are tested in jot-server). */
    static final Argon2Params FAST_ARGON2 = new Argon2Params(1024, 1, 1);

    final TestDatabase database;
    final MutableClock clock = new MutableClock();
    private final Path dataDir;
    JotServer server;
    private boolean running = true;
    final Http http;

    Jot(String databaseKind, Path dataDir) {
        this.database = TestDatabase.create(databaseKind);
        this.dataDir = dataDir;
        this.server = JotServer.start(config(0), clock);
        this.http = new Http(server.baseUrl());
        register("ada");
        register("root");
        server.services().accounts().grantRole("root", "admin");
    }

    private ServerConfig config(int port) {
        return database.applyTo(ServerConfig.builder().port(port).dataDir(dataDir).argon2(FAST_ARGON2)).build();
    }

    /** Stops the server (the database stays): the API's calls to it fail until {@link #startAgain}. */
    void stop() {
        server.close();
        running = false;
    }

    /** Starts the server again on the same port, data directory and database: the same issuer. */
    void startAgain() {
        server = JotServer.start(config(http.port()), clock);
        running = true;
    }

    /** The issuer as the server names itself ({@code http://localhost:<port>}): what the API is pointed at. */
    String issuer() {
        return server.services().tokens().issuer();
    }

    void register(String user) {
        HttpResponse<String> r = http.postJson("/register", Http.json(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** The login response: access_token, refresh_token, ... */
    Map<String, Object> login(String user) {
        HttpResponse<String> r = http.postJson("/login", Http.json(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    String accessToken(String user) {
        return (String) login(user).get("access_token");
    }

    /** An access token issued an hour ago: 45 minutes past its expiry, far beyond any clock skew. */
    String expiredToken(String user) {
        return clock.inThePast(Duration.ofHours(1), () -> accessToken(user));
    }

    /** Ends the session of {@code login} at the server ({@code POST /logout} with its access token). */
    void logout(Map<String, Object> login) {
        HttpResponse<String> r = http.postJson("/logout", "{}", "Authorization", "Bearer " + login.get("access_token"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    /** The same header and payload with another signature: what a forger without the key can send. */
    static String forged(String token) {
        int dot = token.lastIndexOf('.');
        char first = token.charAt(dot + 1) == 'A' ? 'B' : 'A';
        return token.substring(0, dot + 1) + first + token.substring(dot + 2);
    }

    @Override
    public void close() {
        if (running) {
            server.close();
        }
        database.close();
    }
}
