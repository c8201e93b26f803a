package dev.jot.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.JotServer;
import dev.jot.server.config.Argon2Params;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** A real Jot server on a free port (H2), with users {@code ada} and {@code root} (role admin). */
final class Jot implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final PastClock clock = new PastClock();
    final JotServer server;

    /** {@code accessTokenType}: {@code at+jwt} (Jot's default) or {@code JWT}. */
    Jot(Path dataDir, String accessTokenType) {
        server = JotServer.start(ServerConfig.builder().port(0).dataDir(dataDir).argon2(new Argon2Params(1024, 1, 1))
                .set(Settings.ACCESS_TOKEN_TYPE, accessTokenType).build(), clock);
        for (String user : new String[] {"ada", "root"}) {
            HttpResponse<String> r = post("/register", Map.of("username", user, "password", PASSWORD));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        server.services().accounts().grantRole("root", "admin");
    }

    /** What Jot calls itself ({@code http://localhost:<port>}): Boot's {@code issuer-uri}. */
    String issuer() {
        return server.services().tokens().issuer();
    }

    String login(String user) {
        HttpResponse<String> r = post("/login", Map.of("username", user, "password", PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body()).get("access_token");
    }

    /** A token issued an hour ago by Jot's clock: expired 45 minutes ago for everyone else. */
    String expiredToken(String user) {
        clock.offset = Duration.ofHours(1);
        try {
            return login(user);
        } finally {
            clock.offset = Duration.ZERO;
        }
    }

    private HttpResponse<String> post(String path, Map<String, String> json) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(json))));
    }

    static HttpResponse<String> get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** The real time, or that much in the past. */
    static final class PastClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().minus(offset).truncatedTo(ChronoUnit.MILLIS);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
