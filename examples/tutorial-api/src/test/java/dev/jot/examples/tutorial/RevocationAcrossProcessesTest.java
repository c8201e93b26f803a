package dev.jot.examples.tutorial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.cli.Main;
import dev.jot.jwt.Json;
import dev.jot.server.Admin;
import dev.jot.server.TestDatabase;
import dev.jot.server.config.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation feed between two processes: {@code jot serve} in a child JVM (from this test's class path) and
 * the tutorial API in this one. A logout at the server is refused by the API within a second, also after the server
 * process is stopped and started again on the same port and database, when the feed must reconnect and resume or
 * reload its snapshot — including for a logout made while the API was not connected.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class RevocationAcrossProcessesTest {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationAcrossProcessesTest.class);

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    int port;
    Process server;
    Http jot;

    @BeforeEach
    void start() throws IOException {
        database = TestDatabase.create(databaseKind);
        port = freePort();
        jot = new Http("http://127.0.0.1:" + port);
        server = serve();
        for (String user : List.of("ada", "root")) {
            HttpResponse<String> r = jot.postJson("/register", Http.json(Map.of("username", user, "password", Jot.PASSWORD)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        stop(server); // H2 allows one process at a time: the role is granted with the server stopped, as jot admin does
        try (Admin admin = Admin.open(ServerConfig.fromEnv(env()))) {
            admin.grantRole("root", "admin");
        }
        server = serve();
    }

    @AfterEach
    void stopAll() {
        if (server != null) {
            stop(server);
        }
        database.close();
    }

    @Test
    void aLogoutReachesTheApiInAnotherProcessWithinASecondAlsoAcrossAServerRestart() {
        String issuer = "http://localhost:" + port;
        try (TutorialApi api = TutorialApi.start(TutorialConfig.of(issuer).withPort(0)
                .withFeed(new TutorialConfig.Feed.BearerToken(token(login("root")))))) {
            Http http = new Http(api.baseUrl());
            Latency.until(Latency.PATIENCE, () -> api.feed().orElseThrow().isInSync());
            List<Long> measured = new ArrayList<>();

            measured.add(logoutAndMeasure(http, login("ada")));

            Map<String, Object> beforeRestart = login("ada");
            Map<String, Object> duringOutage = login("ada");
            assertThat(http.getAs(token(duringOutage), "/private").statusCode()).isEqualTo(200);
            stop(server);
            Latency.until(Latency.PATIENCE, () -> !api.feed().orElseThrow().isInSync());
            long restart = System.nanoTime();
            server = serve();
            long startedMs = (System.nanoTime() - restart) / 1_000_000;
            logout(duringOutage); // very likely before the feed is back: its backoff is at least half a second
            Latency.until(Latency.PATIENCE, () -> api.feed().orElseThrow().isInSync());
            LOG.info("[{}] the feed was back in sync {} ms after the server process was started again (it listened "
                    + "after {} ms)", databaseKind, (System.nanoTime() - restart) / 1_000_000, startedMs);

            long missedMs = Latency.until(Latency.PATIENCE, () -> http.getAs(token(duringOutage), "/private").statusCode() == 401);
            assertThat(missedMs).as("a logout made while disconnected is refused once back in sync")
                    .isLessThan(Latency.REVOCATION_BOUND.toMillis());
            measured.add(logoutAndMeasure(http, beforeRestart));
            measured.add(logoutAndMeasure(http, login("ada")));

            LOG.info("[{}] logout seen by the tutorial API in another process after {} ms (before, after the restart; "
                    + "target {} ms)", databaseKind, measured, Latency.TARGET.toMillis());
            assertThat(measured).allSatisfy(ms -> assertThat(ms).isLessThan(Latency.REVOCATION_BOUND.toMillis()));
        }
    }

    /**
     * Logs {@code login} out at the server; the milliseconds from the logout's answer (the denial is committed) until
     * the API refuses its token.
     */
    private long logoutAndMeasure(Http api, Map<String, Object> login) {
        String token = token(login);
        assertThat(api.getAs(token, "/private").statusCode()).isEqualTo(200);
        logout(login);
        long ms = Latency.until(Latency.PATIENCE, () -> api.getAs(token, "/private").statusCode() == 401);
        HttpResponse<String> r = api.getAs(token, "/private");
        assertThat(Json.parseObject(r.body())).containsEntry("detail", "The access token has been revoked");
        return ms;
    }

    private Map<String, Object> login(String user) {
        HttpResponse<String> r = jot.postJson("/login", Http.json(Map.of("username", user, "password", Jot.PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    private void logout(Map<String, Object> login) {
        HttpResponse<String> r = jot.postJson("/logout", "{}", "Authorization", "Bearer " + token(login));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    private static String token(Map<String, Object> login) {
        return (String) login.get("access_token");
    }

    /** The server's environment: this test's data directory and database, and cheap Argon2. */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(database.env());
        env.put("JOT_DATA_DIR", dataDir.toString());
        env.put("JOT_PORT", String.valueOf(port));
        env.put("JOT_ARGON2_MEMORY_KIB", String.valueOf(Jot.FAST_ARGON2.memoryKiB()));
        env.put("JOT_ARGON2_ITERATIONS", "1");
        return env;
    }

    /** {@code jot serve} in a child JVM; returns once it listens. */
    private Process serve() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOT_"));
        pb.environment().putAll(env());
        try {
            Process p = pb.start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.contains("Jot listening on ")) {
                    Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "serve-output");
                    drain.setDaemon(true);
                    drain.start();
                    return p;
                }
            }
            throw new AssertionError("jot serve in another process did not start:\n" + seen);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** SIGTERM, as an operator stops it; the server closes its feed streams and the database. */
    private static void stop(Process p) {
        p.destroy();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("jot serve stopped").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
