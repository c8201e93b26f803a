package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.config.Settings;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-connections} (issue 10, slowloris): clients that open connections and dribble their headers hold
 * at most that many; past it Jetty stops accepting, and a connection is served again as soon as one closes.
 */
class ConnectionLimitTest {
    static final String REQUEST = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dataDir;

    @Test
    void slowClientsHoldAtMostTheConnectionLimitAndAFreedSlotIsServed() throws Exception {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.MAX_CONNECTIONS, 4).build())) {
            assertThat(status(server, 10_000)).isEqualTo("HTTP/1.1 200 OK");
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // each sends half a header and waits: slowloris
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            // Jetty has accepted the four (and the probe's, now closed, is gone): its limit is reached.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (server.openConnections() != 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(server.openConnections()).as("the slow clients hold every slot").isEqualTo(4);
            try (Socket waiting = send(server)) {
                waiting.setSoTimeout(1_000);
                assertThatThrownBy(() -> waiting.getInputStream().read()).as("not accepted while the slots are held")
                        .isInstanceOf(SocketTimeoutException.class);
                slow.getFirst().close();
                waiting.setSoTimeout(10_000);
                assertThat(readLine(waiting.getInputStream())).as("served once a slot is free").isEqualTo("HTTP/1.1 200 OK");
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    private static Socket send(JotServer server) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static String status(JotServer server, int timeoutMillis) throws Exception {
        try (Socket s = send(server)) {
            s.setSoTimeout(timeoutMillis);
            return readLine(s.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
