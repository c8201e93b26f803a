package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.config.Settings;
import dev.jot.server.store.Health;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping ({@link JotServer#close()}, what SIGTERM does in {@code jot serve}): no new connection is accepted, a
 * request in progress is answered, then the before-stop tasks run while the database is still open.
 */
class GracefulShutdownTest {
    private static final String BODY = "{\"username\":\"slow-sam\",\"password\":\"correct horse battery\"}";

    @TempDir
    Path dataDir;

    @Test
    void aRequestInProgressIsAnsweredWhileNewConnectionsAreRefusedAndTheFlushRunsBeforeTheDatabaseCloses()
            throws Exception {
        JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.SHUTDOWN_GRACE,
                Duration.ofSeconds(30)).build());
        List<String> flushed = new CopyOnWriteArrayList<>();
        server.onStop("test flush", () -> {
            boolean databaseUp = Health.isUp(server.services().database());
            boolean requestDone = server.services().users().findByNormalizedUsername("slow-sam").isPresent();
            flushed.add("database up: " + databaseUp + ", in-flight request done: " + requestDone);
        });
        int port = server.port();
        CompletableFuture<Void> closing;
        try (Socket slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(30_000);
            OutputStream out = slow.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
            // The handler asks for the body: Jetty answers 100 Continue, so the request is in progress for sure.
            out.write(("POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + BODY.length() + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();

            closing = CompletableFuture.runAsync(server::close);
            awaitRefused(port);
            assertThat(closing).as("the stop waits for the request in progress").isNotDone();
            assertThat(flushed).as("no flush while a request is in progress").isEmpty();

            out.write(BODY.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).as("the request in progress is answered").isEqualTo("HTTP/1.1 201 Created");
        }
        closing.get(30, TimeUnit.SECONDS);
        assertThat(flushed).containsExactly("database up: true, in-flight request done: true");
        assertThat(Health.isUp(server.services().database())).as("closed after the flush").isFalse();
    }

    @Test
    void aRequestStillRunningWhenTheGraceEndsIsCutAndTheStopGoesOn() throws Exception {
        // shorter than Jetty's 1 s shutdown idle timeout: the grace period ends first
        JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.SHUTDOWN_GRACE,
                Duration.ofMillis(200)).build());
        List<String> flushed = new CopyOnWriteArrayList<>();
        server.onStop("test flush", () -> flushed.add("ran"));
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(30_000);
            slow.getOutputStream().write(("POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            long started = System.nanoTime();
            server.close(); // the body never comes
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        }
        assertThat(flushed).as("the before-stop tasks run after a cut too").containsExactly("ran");
        assertThat(Health.isUp(server.services().database())).isFalse();
        server.close(); // a second close does nothing
        assertThat(flushed).hasSize(1);
    }

    @Test
    void idleKeepAliveConnectionsDoNotHoldTheStopForTheGracePeriod() {
        JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.SHUTDOWN_GRACE,
                Duration.ofSeconds(60)).build());
        Http http = new Http(server.baseUrl()); // the JDK client keeps its connection open after the answer
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("Jetty closes idle connections within 1 s")
                .isLessThan(Duration.ofSeconds(10));
    }

    /** Connects until the port refuses (Jetty closed its connector), for at most 10 s. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                // A short timeout: the slow client below must send its body within Jetty's 1 s shutdown idle
                // timeout (a request whose client stays silent that long during a stop is cut, as documented).
                probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
            } catch (ConnectException refused) {
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
                return;
            } catch (java.net.SocketTimeoutException notYet) {
                // the listener is still open but no longer accepting (its backlog is full): look again
            } catch (java.net.SocketException reset) {
                // the probe was in the listener's backlog when it closed, and the kernel reset it: look again
                assertThat(reset.getMessage()).contains("reset");
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("port " + port + " still accepts connections 10 s into the stop");
    }
}
