package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzing the server's request binding (issue 10): JSON, form and Basic credentials on the password and token
 * routes, through the real server. Whatever the bytes, the answer is a 4xx or a success: a 5xx is a finding (bad
 * input must never be a server error). Regression inputs: {@code src/test/resources/dev/jot/server/
 * RequestBindingFuzzTestInputs/}; fuzzing: {@code JAZZER_FUZZ=1} (see docs/benchmarks.md).
 */
class RequestBindingFuzzTest {
    private static final String[] ROUTES = {"/login", "/register", "/oauth2/token", "/refresh", "/logout", "/me/password"};
    private static final String[] TYPES = {"application/json", "application/x-www-form-urlencoded",
            "application/json; charset=utf-8", "text/plain", "application/problem+json", ""};
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Path dataDir;
    private static JotServer server;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("jot-fuzz");
        server = JotServer.start(TestConfigs.base(dataDir).build());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyBodyOnAPasswordOrTokenRouteIsAnsweredWithoutA5xx(FuzzedDataProvider data) throws Exception {
        // Jazzer's SSRF detector flags every connection; this test's only one is to the server it started.
        BugDetectors.allowNetworkConnections((host, port) -> port == server.port()
                && (host.equals("127.0.0.1") || host.equals("localhost")));
        String route = data.pickValue(ROUTES);
        String type = data.pickValue(TYPES);
        byte[] basic = data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 200)) : null;
        byte[] body = data.consumeRemainingAsBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + route))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!type.isEmpty()) {
            b.header("Content-Type", type);
        }
        if (basic != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic));
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", route, type, r.body()).isBetween(200, 499);
    }
}
