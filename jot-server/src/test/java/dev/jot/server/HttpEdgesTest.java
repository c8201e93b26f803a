package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests that go wrong before any route runs: the wrong method for a known path, and what Jetty refuses while
 * parsing. Each is a problem document with a stable code (no Jetty HTML page, nothing of the request echoed).
 * The HTTP layer does not depend on the database, so the embedded one is enough.
 */
class HttpEdgesTest {
    @TempDir
    static Path dataDir;
    static JotServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = JotServer.start(TestConfigs.base(dataDir).build());
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} -> 405, Allow: {2}")
    @CsvSource({"GET, /login, POST", "DELETE, /me, GET", "PUT, /register, POST", "GET, /oauth2/token, POST"})
    void aKnownPathWithAnotherMethodIs405AndNamesTheAllowedMethods(String method, String path, String allowed) {
        HttpResponse<String> r = http.send(method, path);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue(allowed);
        assertProblem(r.headers().firstValue("Content-Type").orElse(""), r.body(), 405, "method_not_allowed");
    }

    @Test
    void anUnknownPathIsStill404() {
        HttpResponse<String> r = http.get("/no/such/thing");
        assertProblem(r.headers().firstValue("Content-Type").orElse(""), r.body(), 404, "not_found");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            headers over 8 KiB            | GET /health HTTP/1.1\\r\\nHost: x\\r\\nX-Big: %s\\r\\n\\r\\n | 431 | headers_too_large
            a Content-Length that is text | POST /login HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: abc\\r\\n\\r\\n | 400 | invalid_request
            a request line of garbage     | BLAH\\r\\n\\r\\n | 400 | invalid_request
            a URI of 10 KiB               | GET /%s HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 414 | uri_too_long
            two Content-Lengths           | POST /login HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\n{} | 400 | invalid_request
            """)
    void whatJettyRefusesWhileParsingIsAProblemDocumentToo(String what, String request, int status, String code)
            throws IOException {
        String raw = request.replace("\\r\\n", "\r\n").replace("%s", "a".repeat(10 * 1024));
        String response = exchange(raw);
        int headerEnd = response.indexOf("\r\n\r\n");
        assertThat(headerEnd).as(response).isPositive();
        String head = response.substring(0, headerEnd);
        assertThat(head).startsWith("HTTP/1.1 " + status + " ");
        String contentType = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                .map(l -> l.substring("content-type:".length()).strip()).findFirst().orElse("");
        assertProblem(contentType, response.substring(headerEnd + 4), status, code);
        assertThat(response).doesNotContain("aaaaaaaaaa").doesNotContainIgnoringCase("<html");
    }

    @ParameterizedTest(name = "Authorization: \"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            Basic
            'Basic '
            basic !!!not-base64
            Basic bm8tY29sb24taGVyZQ==
            """)
    void basicCredentialsThatAreNotUsernameColonPasswordAre400(String authorization) {
        HttpResponse<String> r = http.postWithHeader("/login", "Authorization", authorization);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertProblem(r.headers().firstValue("Content-Type").orElse(""), r.body(), 400, "invalid_request");
    }

    private static void assertProblem(String contentType, String body, int status, String code) {
        assertThat(contentType).startsWith("application/problem+json");
        Map<String, Object> problem = Json.parseObject(body.strip());
        assertThat(problem).containsEntry("status", (long) status).containsEntry("code", code)
                .containsKeys("title", "detail");
    }

    /** Writes the bytes as they are and reads until the server closes or stops sending. */
    private static String exchange(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
