package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart as a user runs it: {@code ./jot serve} in a shell (the launcher finds a JDK 21+ and runs
 * the packaged {@code target/jot.jar}), then register, log in and call {@code /me} over HTTP, then SIGTERM. It runs
 * after {@code package} (failsafe), because what it checks lives in the packaging, not the classes: the launcher's
 * JVM options, the shaded jar's manifest (native access for libargon2, no JDK warning) and its bundled native
 * libraries.
 */
class QuickstartIT {
    private static final Pattern LISTENING = Pattern.compile("^Jot listening on (http://\\S+) .*");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private Process server;

    @AfterEach
    void stopServer() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    @Test
    void serveRegisterLoginMeAndStopAsTheReadmeShows() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path launcher = root.resolve("jot");
        assertThat(launcher).as("the ./jot launcher at the repository root").isRegularFile();
        assertThat(root.resolve("jot-cli/target/jot.jar")).as("packaged before this test runs").isRegularFile();
        Path data = tmp.resolve("jot-data");
        Path stdout = tmp.resolve("stdout.txt");
        Path stderr = tmp.resolve("stderr.txt");

        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "serve", "--port", "0", "--data-dir",
                data.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("JOT_") || k.equals("MALLOC_ARENA_MAX"));
        pb.environment().put("JOT_NO_AOT", "1"); // no start-up cache written into target/ by a test
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        server = pb.start();

        String base = awaitListening(stdout, stderr);
        String credentials = "{\"username\":\"ada\",\"password\":\"correct horse battery\"}";

        HttpResponse<String> register = post(base + "/register", credentials);
        assertThat(register.statusCode()).as(register.body()).isEqualTo(201);
        HttpResponse<String> login = post(base + "/login", credentials);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = (String) Json.parseObject(login.body()).get("access_token");

        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/me"))
                .header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(me.body())).containsEntry("username", "ada");
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/me")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Json.parseObject(anonymous.body())).containsEntry("code", "token_missing");

        server.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
        assertThat(server.exitValue()).isIn(0, 143);
        assertThat(Files.readAllLines(stdout)).anyMatch(line -> line.contains("Jot stopped"));
        assertThat(data.resolve("jot.mv.db")).isRegularFile();
        // The launcher is silent when the jar is up to date; the JVM must not warn (e.g. about JNA's native
        // access), and nothing may end in a stack trace.
        assertThat(Files.readString(stderr)).isEmpty();
    }

    /**
     * `./jot serve --help` is often the first command after a build. The launcher records its start-up cache on
     * the first `serve`; recorded from a help text it would hold none of the server's classes and slow every
     * later start, and the JVM would print its cache lines after the help.
     */
    @Test
    void serveHelpNeitherRecordsNorChangesTheStartUpCache() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Map<Path, FileTime> cachesBefore = startUpCaches(root);

        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("jot").toString(), "serve", "--help");
        pb.environment().keySet().removeIf(k -> k.startsWith("JOT_"));
        pb.redirectErrorStream(true);
        Process help = pb.start();
        String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(help.exitValue()).as(out).isZero();
        assertThat(out).startsWith("Usage: jot serve").doesNotContain("AOT");
        assertThat(startUpCaches(root)).isEqualTo(cachesBefore);
    }

    /**
     * The launcher picks the Parallel collector (docs/cli.md), but a collector named in JOT_JAVA_OPTS replaces it:
     * given both, the JVM would refuse to start.
     */
    @Test
    void theLaunchersCollectorGivesWayToOneNamedInJotJavaOpts() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String[][] cases = {
            // JOT_JAVA_OPTS (besides -XX:+PrintCommandLineFlags), the collector the JVM runs, the one it must not
            {"", "-XX:+UseParallelGC", "-XX:+UseG1GC"},
            {"-XX:+UseSerialGC", "-XX:+UseSerialGC", "-XX:+UseParallelGC"},
            {"-Xss1m -XX:+UseG1GC", "-XX:+UseG1GC", "-XX:+UseParallelGC"},
            {"-XX:+UseStringDeduplication", "-XX:+UseParallelGC", "-XX:+UseG1GC"}, // not a collector
        };
        for (String[] c : cases) {
            ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("jot").toString(), "--version");
            pb.environment().keySet().removeIf(k -> k.startsWith("JOT_"));
            pb.environment().put("JOT_JAVA_OPTS", (c[0] + " -XX:+PrintCommandLineFlags").strip());
            pb.redirectErrorStream(true);
            Process version = pb.start();
            String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(version.exitValue()).as(c[0] + ": " + out).isZero();
            assertThat(out).as(c[0]).contains(c[1]).doesNotContain(c[2]).contains("jot ");
        }
    }

    private static Map<Path, FileTime> startUpCaches(Path root) throws IOException {
        Map<Path, FileTime> caches = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve("jot-cli/target"), "serve-jdk*")) {
            for (Path f : files) {
                caches.put(f, Files.getLastModifiedTime(f));
            }
        }
        return caches;
    }

    private static String awaitListening(Path stdout, Path stderr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(stdout)) {
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("./jot serve did not say where it listens within 90 s; stderr: "
                + Files.readString(stderr));
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
