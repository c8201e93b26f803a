package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two requests on one keep-alive connection whose tokens differ only in the case of one character are two tokens.
 * Jetty keeps a per-connection cache of header fields, case-insensitive by default: unless the cache is off
 * ({@code JotGuardPlugin.noHeaderCache}, which the plugin and Jot's server apply) the second request is handed the
 * first one's {@code Authorization} value, so a forged token is let in as the valid one sent before it, and a valid
 * token is refused as the forged one sent before it (the usage tests met both, with a forged signature that began
 * with {@code A} where the real one began with {@code a}).
 */
class SameConnectionTest {
    @TempDir
    Path dataDir;
    Jot jot;

    @BeforeEach
    void start() {
        jot = new Jot("h2", dataDir);
    }

    @AfterEach
    void stop() {
        jot.close();
    }

    /** The token with the case of the first letter of its signature swapped: same length, another signature. */
    static String caseVariant(String token) {
        int i = token.lastIndexOf('.') + 1;
        while (!Character.isLetter(token.charAt(i))) {
            i++;
        }
        char c = token.charAt(i);
        char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        return token.substring(0, i) + swapped + token.substring(i + 1);
    }

    /** The statuses of GETs of {@code path} at {@code base}, one per token, all on one connection. */
    static List<Integer> onOneConnection(String base, String path, String... tokens) throws IOException {
        URI u = URI.create(base);
        try (Socket s = new Socket(u.getHost().equals("localhost") ? "127.0.0.1" : u.getHost(), u.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (String token : tokens) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + u.getAuthority() + "\r\nAuthorization: Bearer "
                        + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                statuses.add(readResponse(in));
            }
            return statuses;
        }
    }

    /** Reads one response with a Content-Length body; answers its status. */
    private static int readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return Integer.parseInt(h.substring(9, 12));
    }

    @Test
    void aCaseVariantOfAValidTokenSentAfterItOnTheSameConnectionIsRefusedAndViceVersa() throws IOException {
        try (TutorialApi api = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0))) {
            String token = jot.accessToken("ada");
            String forged = caseVariant(token);

            assertThat(onOneConnection(api.baseUrl(), "/private", token, forged, token)).containsExactly(200, 401, 200);
            assertThat(onOneConnection(api.baseUrl(), "/private", forged, token, forged)).containsExactly(401, 200, 401);
        }
    }

    @Test
    void jotsOwnRoutesTellACaseVariantFromTheValidTokenSentBeforeItOnTheSameConnection() throws IOException {
        String token = jot.accessToken("ada");
        String forged = caseVariant(token);

        assertThat(onOneConnection(jot.server.baseUrl(), "/me", token, forged)).containsExactly(200, 401);
        assertThat(onOneConnection(jot.server.baseUrl(), "/me", forged, token)).containsExactly(401, 200);
    }
}
