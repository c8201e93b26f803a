package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10's hardening list, items 1, 4, 5 and 6, against the real server on H2. */
class HardeningTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dataDir;
    JotServer server;
    Http http;

    @BeforeEach
    void start() {
        server = JotServer.start(TestConfigs.base(dataDir).build());
        http = new Http(server.baseUrl());
        http.postJson("/register", Json.write(Map.of("username", "ada", "password", PASSWORD)));
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
    }

    // ---- item 1: a body over the cap ----

    /**
     * A keep-alive client that sends a 1 MB body without {@code Expect: 100-continue} and reads only once it has
     * written everything (as python requests does) gets the 413 with {@code Connection: close}, not a reset.
     */
    @Test
    void aKeepAliveClientWritingOneMegabyteReadsIts413WithConnectionClose() throws Exception {
        byte[] body = new byte[1_000_000];
        java.util.Arrays.fill(body, (byte) 'a');
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Connection: keep-alive\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body); // blocks if the server stopped reading
            out.flush();
            String response = readResponse(s.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response.toLowerCase()).contains("connection: close");
            assertThat(response).contains("\"code\":\"payload_too_large\"");
        }
        // and the next request (on a new connection, as the client is told) works
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
    }

    /**
     * Found by fuzzing the request binding: an answer given before the body was read (here a 415 from /refresh for
     * a form body) left the rest of the body unread; Jetty then closed the keep-alive connection after the answer,
     * and the client's next request on it read nothing ("header parser received no bytes").
     */
    @Test
    void anAnswerGivenBeforeTheBodyArrivedLeavesTheKeepAliveConnectionUsable() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String body = "refresh_token=" + "x".repeat(3000);
            out.write(("POST /refresh HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The scenario: the server takes up the request (to answer 415) before the rest of the body arrives.
            untilTheServerIsHandlingARequest();
            out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
            out.write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String both = readResponse(s.getInputStream());
            assertThat(both).startsWith("HTTP/1.1 415");
            assertThat(both).as("the second request on the connection is answered").contains("HTTP/1.1 200");
        }
    }

    /** Polls Jetty's count of requests handed to a handler and not yet answered ({@code jot_http_requests_active}). */
    private void untilTheServerIsHandlingARequest() {
        io.micrometer.core.instrument.Gauge active = server.services().metrics().registry()
                .get("jot.http.requests.active").gauge();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (active.value() < 1) {
            assertThat(System.nanoTime()).as("the server took the request up within 10 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private static String readResponse(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) { // the server closes the connection after a 413
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    // ---- item 4: files ----

    @Test
    void theDataDirectoryAndTheDatabaseFilesAreTheOwnersOnly() throws Exception {
        Path fresh = dataDir.resolve("fresh");
        try (JotServer second = JotServer.start(TestConfigs.base(fresh).build())) {
            assertThat(second.port()).isPositive();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(fresh)) {
            List<Path> db = files.filter(p -> p.getFileName().toString().endsWith(".db")).toList();
            assertThat(db).isNotEmpty();
            for (Path f : db) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .matches("r[w-]-------");
            }
        }
    }

    // ---- item 5: challenges and headers ----

    @Test
    void onlyALoginThatUsedBasicIsChallengedWithBasic() {
        HttpResponse<String> json = http.postJson("/login", Json.write(Map.of("username", "ada", "password", "nope-nope")));
        HttpResponse<String> form = http.postForm("/login", "username=ada&password=nope-nope");
        HttpResponse<String> basic = http.postWithHeader("/login", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString("ada:nope-nope".getBytes(StandardCharsets.UTF_8)));

        assertThat(List.of(json.statusCode(), form.statusCode(), basic.statusCode())).containsOnly(401);
        assertThat(json.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(form.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(basic.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"jot\", charset=\"UTF-8\"");
        assertThat(json.body()).isEqualTo(basic.body());
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("a JSON answer", "GET", "/health", null),
                Arguments.of("a problem document", "GET", "/me", null),
                Arguments.of("Javalin's 404", "GET", "/nowhere", null),
                Arguments.of("a 405", "DELETE", "/login", null),
                Arguments.of("the JWKS", "GET", "/.well-known/jwks.json", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void everyAnswerSaysNosniffAndNoReferrer(String what, String method, String path, String ignored) {
        HttpResponse<String> r = http.send(method, path);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void jettysOwnAnswerToAMalformedRequestSaysNosniffAndNoReferrerToo() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = readResponse(s.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response.toLowerCase()).contains("x-content-type-options: nosniff", "referrer-policy: no-referrer");
        }
    }

    // ---- item 6: malformed UTF-8, mixed scripts, confusables ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"username=ada&password=%C3%28%C3%28%C3%28%C3%28", "username=%FF%FEada&password=whatever-1",
            "username=ada&password=%ED%A0%80abcdefgh", "username=ada&password=%C0%AFabcdefg"})
    void malformedUtf8InAFormFieldIsA400(String form) {
        HttpResponse<String> r = http.postForm("/login", form);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(r.body())).containsEntry("code", "invalid_request");
        assertThat(r.body()).contains("UTF-8");
    }

    @Test
    void malformedUtf8InBasicCredentialsIsA400() {
        byte[] raw = {'a', 'd', 'a', ':', (byte) 0xC3, (byte) 0x28, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
        HttpResponse<String> r = http.postWithHeader("/login", "Authorization", "Basic " + Base64.getEncoder().encodeToString(raw));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"p\u0430ypal", "\u0430dmin\u03b1", "gооgle"})
    void aUsernameMixingScriptsIsRefused(String name) {
        HttpResponse<String> r = http.postJson("/register", Json.write(Map.of("username", name, "password", PASSWORD)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(r.body())).containsEntry("code", "invalid_username");
    }

    @ParameterizedTest(name = "{0} after paypal")
    @ValueSource(strings = {"PayPal", "paypa1", "\u0440\u0430\u0443\u0440\u0430\u04cf", "rnallory"})
    void aUsernameThatLooksLikeATakenOneIsRefused(String lookAlike) {
        assertThat(register("paypal").statusCode()).isEqualTo(201);
        assertThat(register("mallory").statusCode()).isEqualTo(201);
        HttpResponse<String> r = register(lookAlike);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Json.parseObject(r.body())).containsEntry("code", "user_exists");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\u5c71\u7530\u305f\u308d\u3046", "\u30e6\u30fc\u30b6\u30fc\u540d", "\uae40\ucca0\uc218",
            "\u0438\u0432\u0430\u043d", "\u03b3\u03b9\u03ac\u03bd\u03bd\u03b7\u03c2", "jos\u00e9_2"})
    void namesWrittenInOneScriptOrAsALanguageWritesThemAreAccepted(String name) {
        assertThat(register(name).statusCode()).as(name).isEqualTo(201);
    }

    private HttpResponse<String> register(String name) {
        return http.postJson("/register", Json.write(Map.of("username", name, "password", PASSWORD)));
    }
}
