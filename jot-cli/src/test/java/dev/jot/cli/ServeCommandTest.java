package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jot serve} in-process: it starts, says where it listens, serves, and stops when asked. */
class ServeCommandTest {

    /** Small Argon2 memory keeps the test fast; the defaults are tested in jot-server. */
    private static final Map<String, String> ENV = Map.of("JOT_ARGON2_MEMORY_KIB", "1024", "JOT_ARGON2_ITERATIONS", "1");

    @TempDir
    Path dir;

    private record Run(CompletableFuture<Integer> exit, StringWriter out, StringWriter err, CountDownLatch stop) {
    }

    private static Run start(String... args) {
        CountDownLatch stop = new CountDownLatch(1);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine(new Main(new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), ENV, stop));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Run(CompletableFuture.supplyAsync(() -> cmd.execute(args)), out, err, stop);
    }

    @Test
    void servesOnTheAnnouncedPortUntilStopped() throws Exception {
        Path data = dir.resolve("fresh/jot-data");
        Run run = start("serve", "--port", "0", "--data-dir", data.toString());
        String url = awaitListening(run);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> register = http.send(HttpRequest.newBuilder(URI.create(url + "/register"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ada\",\"password\":\"correct horse battery\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(register.statusCode()).isEqualTo(201);
        assertThat(run.out().toString()).contains("database: jdbc:h2:").contains("data directory: " + data.toAbsolutePath());
        assertThat(Files.isDirectory(data)).as("a fresh data directory is created").isTrue();

        run.stop().countDown();
        assertThat(run.exit().get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void anInvalidOptionStopsTheStartNamingTheOptionAndItsVariable() throws Exception {
        Run run = start("serve", "--port", "seventy", "--data-dir", dir.toString());
        assertThat(run.exit().get(30, TimeUnit.SECONDS)).isEqualTo(Exit.USAGE);
        assertThat(run.err().toString()).startsWith("error: USAGE: --port (JOT_PORT): ");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedStopsTheStartWithAClearMessage() throws Exception {
        // A regular file where a parent directory should be: unwritable even for root, unlike file modes.
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Run run = start("serve", "--port", "0", "--data-dir", file.resolve("data").toString());
        assertThat(run.exit().get(30, TimeUnit.SECONDS)).isEqualTo(Exit.INVALID);
        assertThat(run.err().toString()).startsWith("error: STARTUP: ").contains("data");
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine(new ByteArrayInputStream(new byte[0]), Clock.systemUTC());
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "[JOT_PORT]", "Default: 8080", "--bind", "[JOT_BIND]",
                "--data-dir", "[JOT_DATA_DIR]", "--db-url", "[JOT_DB_URL]", "--db-user", "--db-password", "--issuer",
                "[JOT_ISSUER]", "--audience", "[JOT_AUDIENCE]", "--access-token-ttl", "[JOT_ACCESS_TOKEN_TTL]", "15m");
    }

    /** DESIGN.md: `jot serve --help` lists the configuration, including what only the environment can set. */
    @Test
    void helpNamesEveryEnvironmentVariableTheServerReads() {
        Set<String> read = new TreeSet<>();
        Map<String, String> recording = new AbstractMap<>() {
            @Override
            public String get(Object key) {
                read.add((String) key);
                return null;
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return Set.of();
            }
        };
        ServerConfig.fromEnv(recording);
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine(new ByteArrayInputStream(new byte[0]), Clock.systemUTC());
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("serve", "--help")).isZero();

        assertThat(read).hasSizeGreaterThan(15).allMatch(name -> name.startsWith("JOT_"));
        assertThat(out.toString()).contains(read);
    }

    private static String awaitListening(Run run) throws InterruptedException {
        Pattern listening = Pattern.compile("Jot listening on (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(run.out().toString());
            if (m.find()) {
                return m.group(1);
            }
            assertThat(run.exit()).as("jot serve ended early: %s", run.err()).isNotDone();
            Thread.sleep(50);
        }
        throw new AssertionError("jot serve did not announce where it listens: " + run.err());
    }
}
