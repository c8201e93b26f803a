package dev.jot.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import dev.jot.server.JotServer;
import dev.jot.server.Services;
import dev.jot.server.TestDatabase;
import dev.jot.server.config.ServerConfig;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code jot admin} against the database a server uses: with the embedded H2 database after the server stopped (and
 * a clear refusal while it runs, from another process), with PostgreSQL beside the running server.
 */
class AdminCommandTest {
    /** Cheap Argon2 (the defaults are tested in jot-server), as the server's environment would set it. */
    private static final Map<String, String> ENV = Map.of("JOT_ARGON2_MEMORY_KIB", "1024", "JOT_ARGON2_ITERATIONS", "1");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void rotateKeysPromotesThePublishedNextKeyAndTheServerSignsWithItAfterARestart() {
        Path data = dir.resolve("data");
        String before;
        String next;
        try (JotServer server = JotServer.start(config(data, ENV))) {
            register(server, "ada");
            before = kid(login(server, "ada"));
            next = awaitNextKid(server);
        }

        Jot.Result r = run(ENV, "admin", "rotate-keys", "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(4).startsWith("active key: " + next).element(2).asString()
                .startsWith("retired key: " + before);
        assertThat(r.out()).contains("warning: " + next + " was published ").contains("must refetch");
        String newNext = r.outLines().get(1).substring("next key: ".length());
        try (JotServer server = JotServer.start(config(data, ENV))) {
            assertThat(kid(login(server, "ada"))).isEqualTo(next);
            assertThat(get(server, "/.well-known/jwks.json")).contains(next, newNext, before);
        }
    }

    @Test
    void usagePrintsTheUsersRequestsPerHourAndStatusClassWithASparkline() {
        Path data = dir.resolve("data");
        long now = java.time.Instant.now().getEpochSecond();
        long recent = now - Math.floorMod(now, 60) - 120;
        long earlier = recent - 3600;
        String id;
        try (JotServer server = JotServer.start(config(data, ENV))) {
            register(server, "ada");
            id = server.services().accounts().byName("ada").id();
            String sub = id;
            new dev.jot.server.usage.LocalUsageSink(server.services().usage()).ship(new dev.jot.guard.usage.UsageBatch(
                    "cli-1", "test", 0, List.of(
                    count(recent, sub, "2xx", 7), count(recent, sub, "4xx", 3), count(earlier, sub, "2xx", 14),
                    count(recent, "someone-else", "2xx", 1000)), List.of()));
        }

        Jot.Result r = run(ENV, "admin", "usage", "ada", "--since", "24h", "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines.getFirst()).matches("hour \\(UTC\\) +requests +2xx +3xx +4xx +5xx");
        assertThat(lines).anyMatch(l -> l.startsWith(hour(recent)) && l.matches(".* 10 +7 +0 +3 +0"));
        assertThat(lines).anyMatch(l -> l.startsWith(hour(earlier)) && l.matches(".* 14 +14 +0 +0 +0"));
        assertThat(lines).contains(String.format("%-17s %10d", "total", 24));
        String spark = lines.getLast().substring("per hour: ".length());
        assertThat(spark).hasSize(lines.size() - 3);
        assertThat(spark.replace("\u2581", "")).isEqualTo("\u2588\u2586");
    }

    private static dev.jot.guard.usage.UsageCount count(long minute, String sub, String status, long n) {
        return new dev.jot.guard.usage.UsageCount(new dev.jot.guard.usage.UsageCount.Key(minute, sub, null,
                "https://api", "/orders", status), n);
    }

    private static String hour(long epochSecond) {
        return java.time.Instant.ofEpochSecond(epochSecond - Math.floorMod(epochSecond, 3600)).toString()
                .substring(0, 16).replace('T', ' ');
    }

    @Test
    void grantRoleMakesTheFirstAdminWhoseNextTokenCarriesTheRole() {
        Path data = dir.resolve("data");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            register(server, "ada");
        }

        Jot.Result r = run(ENV, "admin", "grant-role", "ada", "admin", "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("granted role admin to ada (roles: admin)");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            assertThat(Unverified.decode(login(server, "ada")).claims().get("roles")).isEqualTo(List.of("admin"));
        }
    }

    @Test
    void unlockForgetsAUsersFailedLoginsSoTheNextLoginIsJudgedAfresh() {
        Path data = dir.resolve("data");
        Map<String, String> env = new HashMap<>(ENV);
        env.put("JOT_THROTTLE_ACCOUNT_FREE", "2");
        try (JotServer server = JotServer.start(config(data, env))) {
            register(server, "ada");
            String wrong = Json.write(Map.of("username", "ada", "password", "wrong horse battery"));
            assertThat(post(server, "/login", wrong).statusCode()).isEqualTo(401);
            assertThat(post(server, "/login", wrong).statusCode()).isEqualTo(401);
            assertThat(post(server, "/login", creds("ada")).statusCode()).as("throttled").isEqualTo(429);
        }

        Jot.Result r = run(env, "admin", "unlock", "Ada", "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("forgot the failed logins for Ada");
        try (JotServer server = JotServer.start(config(data, env))) {
            assertThat(post(server, "/login", creds("ada")).statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0} {1} → exit {2}, {3}")
    @CsvSource(quoteCharacter = '"', value = {
            "nobody, admin,   1, error: USER_NOT_FOUND: there is no user named 'nobody'",
            "ada,    Admin!,  2, error: INVALID_ROLE: ",
    })
    void grantRoleRefusesUnknownUsersAndMalformedRoles(String user, String role, int exit, String error) {
        Path data = dir.resolve("data");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            register(server, "ada");
        }
        Jot.Result r = run(ENV, "admin", "grant-role", user, role, "--data-dir", data.toString());
        assertThat(r.exit()).isEqualTo(exit);
        assertThat(r.err()).startsWith(error).doesNotContain("Exception");
    }

    @Test
    void aDataDirectoryWithoutADatabaseIsRefusedNotCreated() {
        Path nothing = dir.resolve("typo");
        Jot.Result r = run(ENV, "admin", "rotate-keys", "--data-dir", nothing.toString());
        assertThat(r.exit()).isEqualTo(Exit.INVALID);
        assertThat(r.err()).startsWith("error: NO_DATABASE: ").contains(nothing.toString());
        assertThat(nothing).doesNotExist();
    }

    @Test
    void hs256HasNoKeysToRotate() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = new HashMap<>(ENV);
        env.put("JOT_SIGNING_ALG", "HS256");
        env.put("JOT_HMAC_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        Path data = dir.resolve("data");
        JotServer.start(config(data, env)).close();

        Jot.Result r = run(env, "admin", "rotate-keys", "--data-dir", data.toString());

        assertThat(r.exit()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).startsWith("error: NO_ROTATION: HS256 ");
    }

    @Test
    void whileAServerHoldsTheEmbeddedDatabaseAdminCommandsFailNamingTheDirectory() throws Exception {
        Path data = dir.resolve("data");
        Process serve = serveInAnotherProcess(data);
        try {
            for (String[] command : List.of(new String[] {"rotate-keys"}, new String[] {"grant-role", "ada", "admin"})) {
                List<String> args = new java.util.ArrayList<>(List.of("admin"));
                args.addAll(List.of(command));
                args.addAll(List.of("--data-dir", data.toString()));

                Jot.Result r = run(ENV, args.toArray(String[]::new));

                assertThat(r.exit()).as(r.err()).isEqualTo(Exit.INVALID);
                assertThat(r.err()).startsWith("error: DATABASE_IN_USE: ").contains(data.toAbsolutePath().toString())
                        .contains("Stop the server").contains("PostgreSQL").doesNotContain("Exception");
            }
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void onPostgresTheRunningServerPicksUpARotationAndARoleAtOnce() {
        try (TestDatabase pg = TestDatabase.create("postgres")) {
            Map<String, String> env = new HashMap<>(ENV);
            env.putAll(pg.env());
            Path data = dir.resolve("data"); // the master key file: shared by the server and the command
            try (JotServer server = JotServer.start(config(data, env))) {
                register(server, "ada");

                Jot.Result r = run(env, "admin", "rotate-keys", "--data-dir", data.toString());
                assertThat(r.exit()).as(r.err()).isZero();
                String active = r.outLines().getFirst().substring("active key: ".length());
                await(Duration.ofSeconds(2), () -> kid(login(server, "ada")).equals(active));

                Jot.Result g = run(env, "admin", "grant-role", "ada", "admin", "--data-dir", data.toString());
                assertThat(g.exit()).as(g.err()).isZero();
                assertThat(Unverified.decode(login(server, "ada")).claims().get("roles")).isEqualTo(List.of("admin"));
            }
        }
    }

    @Test
    void createUserReadsThePasswordFromStdinNeverFromAnArgument() {
        Path data = dir.resolve("data");
        JotServer.start(config(data, ENV)).close();

        Jot.Result r = runWithStdin(ENV, "correct horse battery\n", "admin", "create-user", "boss", "--role", "admin",
                "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("created user boss (id ").endsWith("roles: admin)\n");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            assertThat(Unverified.decode(login(server, "boss")).claims().get("roles")).isEqualTo(List.of("admin"));
        }
        Jot.Result asArgument = run(ENV, "admin", "create-user", "eve", "--password", "correct horse battery",
                "--data-dir", data.toString());
        assertThat(asArgument.exit()).isEqualTo(Exit.USAGE);
        Jot.Result none = run(ENV, "admin", "create-user", "eve", "--data-dir", data.toString());
        assertThat(none.exit()).isEqualTo(Exit.USAGE);
        assertThat(none.err()).startsWith("error: USAGE: no password");
        Jot.Result weak = runWithStdin(ENV, "short\n", "admin", "create-user", "eve", "--data-dir", data.toString());
        assertThat(weak.exit()).isEqualTo(Exit.USAGE);
        assertThat(weak.err()).startsWith("error: INVALID_PASSWORD: ");
    }

    @Test
    void disableUserLocksTheAccountOutAndEnableUserLetsItBackIn() {
        Path data = dir.resolve("data");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            register(server, "ada");
        }

        Jot.Result disabled = run(ENV, "admin", "disable-user", "ada", "--data-dir", data.toString());

        assertThat(disabled.exit()).as(disabled.err()).isZero();
        assertThat(disabled.out()).startsWith("disabled ada: ");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            assertThat(post(server, "/login", creds("ada")).statusCode()).isEqualTo(401);
        }
        Jot.Result enabled = run(ENV, "admin", "enable-user", "ada", "--data-dir", data.toString());
        assertThat(enabled.exit()).as(enabled.err()).isZero();
        try (JotServer server = JotServer.start(config(data, ENV))) {
            login(server, "ada");
        }
    }

    @Test
    void revokeRoleTakesARoleButNeverTheLastAdmins() {
        Path data = dir.resolve("data");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            register(server, "ada");
            register(server, "bob");
            server.services().accounts().grantRole("ada", "admin");
            server.services().accounts().grantRole("bob", "admin");
        }

        Jot.Result first = run(ENV, "admin", "revoke-role", "bob", "admin", "--data-dir", data.toString());
        Jot.Result last = run(ENV, "admin", "revoke-role", "ada", "admin", "--data-dir", data.toString());

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("revoked role admin from bob (roles: none)");
        assertThat(last.exit()).isEqualTo(Exit.INVALID);
        assertThat(last.err()).startsWith("error: LAST_ADMIN: ");
        try (JotServer server = JotServer.start(config(data, ENV))) {
            assertThat(Unverified.decode(login(server, "bob")).claims().get("roles")).isEqualTo(List.of());
        }
    }

    // ---- helpers ----

    /** Runs {@code jot} in-process with {@code env} as its environment and the real clock (keys age in real time). */
    private static Jot.Result run(Map<String, String> env, String... args) {
        return runWithStdin(env, "", args);
    }

    private static Jot.Result runWithStdin(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main main = new Main(new ByteArrayInputStream(stdin.getBytes(UTF_8)), Clock.systemUTC(), env,
                new CountDownLatch(1));
        CommandLine jot = Main.commandLine(main, args[0]);
        jot.setOut(new PrintWriter(out));
        jot.setErr(new PrintWriter(err));
        int exit = jot.execute(args);
        return new Jot.Result(exit, out.toString(), err.toString());
    }

    private static ServerConfig config(Path data, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("JOT_DATA_DIR", data.toString());
        all.put("JOT_PORT", "0");
        return ServerConfig.fromEnv(all);
    }

    /** {@code jot serve} in a child JVM (H2 shares an open database within one JVM; only another process is locked out). */
    private static Process serveInAnotherProcess(Path data) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--data-dir", data.toString()).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        Process p = pb.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("Jot listening on ")) {
                Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "serve-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new AssertionError("jot serve in another process did not start:\n" + seen);
    }

    /** The next key, after running the server's key maintenance now (it publishes one when there is none). */
    private static String awaitNextKid(JotServer server) {
        server.services().jobs().runNow(Services.KEY_MAINTENANCE);
        return server.services().keys().ring().nextKid().orElseThrow();
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(end);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String kid(String token) {
        return (String) Unverified.decode(token).header().get("kid");
    }

    private static void register(JotServer server, String user) {
        assertThat(post(server, "/register", creds(user)).statusCode()).isEqualTo(201);
    }

    private static String login(JotServer server, String user) {
        HttpResponse<String> r = post(server, "/login", creds(user));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body()).get("access_token");
    }

    private static String creds(String user) {
        return Json.write(Map.of("username", user, "password", "correct horse battery"));
    }

    private static HttpResponse<String> post(JotServer server, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String get(JotServer server, String path) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build()).body();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
