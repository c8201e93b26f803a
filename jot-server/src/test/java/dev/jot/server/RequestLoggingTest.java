package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jot.server.config.LogFormat;
import dev.jot.server.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log and {@code --log-format json}: one JSON object per line with the request's id, the same id as the
 * answer's {@code X-Request-Id}; and never a token, a cookie, a password or a query string, in either format.
 */
class RequestLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_IN_PATH = "SECRET4-eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";

    @TempDir
    Path dataDir;

    @Test
    void jsonLinesParseAndCarryTheRequestIdOfTheAnswer() throws Exception {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).build());
             CapturedLog log = new CapturedLog(LogFormat.JSON)) {
            Http http = new Http(server.baseUrl());
            HttpResponse<String> me = http.get("/me?access_token=SECRET1", "Authorization", "Bearer SECRET2",
                    "Cookie", "session=SECRET3");
            assertThat(me.statusCode()).isEqualTo(401);
            String id = me.headers().firstValue("X-Request-Id").orElseThrow();

            JsonNode line = JSON.readTree(log.await(l -> l.contains(id) && l.contains("dev.jot.access")));
            assertThat(line.path("mdc").path("request_id").asText()).isEqualTo(id);
            assertThat(line.path("level").asText()).isEqualTo("INFO");
            assertThat(line.path("loggerName").asText()).isEqualTo("dev.jot.access");
            assertThat(line.path("timestamp").isNumber()).isTrue();
            assertThat(line.path("formattedMessage").asText()).startsWith("GET /me 401 ");
            assertThat(kvp(line, "route")).isEqualTo("/me");
            assertThat(kvp(line, "status")).isEqualTo("401");
            assertThat(kvp(line, "client")).isEqualTo("127.0.0.1");
            assertThat(Long.parseLong(kvp(line, "bytes"))).isPositive();
            assertThat(Long.parseLong(kvp(line, "duration_ms"))).isNotNegative();

            // a line written while the request is handled carries its id too: the database is gone, the error
            // mapping warns
            server.services().database().close();
            HttpResponse<String> login = http.postJson("/login", "{\"username\":\"ada\",\"password\":\"SECRET5-pw\"}");
            assertThat(login.statusCode()).isEqualTo(503);
            String loginId = login.headers().firstValue("X-Request-Id").orElseThrow();
            JsonNode warning = JSON.readTree(log.await(l -> l.contains(loginId) && l.contains("\"WARN\"")));
            assertThat(warning.path("mdc").path("request_id").asText()).isEqualTo(loginId);
            assertThat(warning.path("formattedMessage").asText()).contains("Database unavailable on POST /login");

            log.await(l -> l.contains(loginId) && l.contains("dev.jot.access"));
            for (String l : log.lines()) {
                assertThat(JSON.readTree(l).isObject()).as("one JSON object per line: " + l).isTrue();
            }
        }
    }

    @Test
    void neitherFormatLogsTokensCookiesPasswordsOrQueryStrings() throws Exception {
        for (LogFormat format : LogFormat.values()) {
            Path dir = dataDir.resolve(format.name());
            try (JotServer server = JotServer.start(TestConfigs.base(dir).build());
                 CapturedLog log = new CapturedLog(format)) {
                Http http = new Http(server.baseUrl());
                List<HttpResponse<String>> answers = List.of(
                        http.get("/me?access_token=SECRET1", "Authorization", "Bearer SECRET2", "Cookie", "s=SECRET3"),
                        http.get("/no-route/" + JWT_IN_PATH + "?token=SECRET6"),
                        http.postJson("/login?password=SECRET7", "{\"username\":\"ada\",\"password\":\"SECRET5\"}"),
                        http.postForm("/oauth2/token", "grant_type=password&username=ada&password=SECRET8",
                                "Authorization", "Basic U0VDUkVUOTpTRUNSRVQ5"));
                for (HttpResponse<String> a : answers) {
                    String id = a.headers().firstValue("X-Request-Id").orElseThrow();
                    log.await(l -> l.contains(id) && l.contains("dev.jot.access"));
                }
                assertThat(log.lines()).as(format + " lines").isNotEmpty()
                        .noneMatch(l -> l.contains("SECRET") || l.contains("U0VDUkVU") || l.contains("?")
                                || l.contains("eyJ"));
                assertThat(log.await(l -> l.contains("no-route"))).as("an unmatched path, its long segment elided")
                        .containsAnyOf("/no-route/… ", "\\/no-route\\/…\"");
            }
        }
    }

    @Test
    void theAccessLogCanBeTurnedOff() throws Exception {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.ACCESS_LOG, false).build());
             CapturedLog log = new CapturedLog(LogFormat.TEXT)) {
            Http http = new Http(server.baseUrl());
            String id = http.get("/health").headers().firstValue("X-Request-Id").orElseThrow();
            // the metrics count the request in the same call that would log it: once counted, nothing was logged
            String scrape = "";
            for (int i = 0; i < 100 && !scrape.contains("route=\"/health\""); i++) {
                scrape = http.get("/metrics").body();
            }
            assertThat(scrape).contains("route=\"/health\"");
            assertThat(log.lines()).noneMatch(l -> l.contains(id));
        }
    }

    @Test
    void theLogFormatSwitchesTheEncoderOfTheConsoleAppenders() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            LogOutput.apply(LogFormat.JSON);
            assertThat(consoleEncoders(root)).isNotEmpty()
                    .allMatch(e -> e instanceof ch.qos.logback.classic.encoder.JsonEncoder);
            LogOutput.apply(LogFormat.TEXT);
            assertThat(consoleEncoders(root)).isNotEmpty().allSatisfy(e -> assertThat(e)
                    .isInstanceOfSatisfying(ch.qos.logback.classic.encoder.PatternLayoutEncoder.class,
                            p -> assertThat(p.getPattern()).contains("%X{request_id}")));
        } finally {
            LogOutput.apply(LogFormat.TEXT);
        }
    }

    private static List<Object> consoleEncoders(ch.qos.logback.classic.Logger root) {
        List<Object> encoders = new java.util.ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ch.qos.logback.core.ConsoleAppender<?> c) {
                encoders.add(c.getEncoder());
            }
        });
        return encoders;
    }

    /** A field of the JSON encoder's key-value list. */
    private static String kvp(JsonNode line, String key) {
        for (JsonNode pair : line.path("kvpList")) {
            if (pair.has(key)) {
                return pair.get(key).asText();
            }
        }
        if (line.path("kvpList").has(key)) {
            return line.path("kvpList").get(key).asText();
        }
        throw new AssertionError("no " + key + " in " + line);
    }
}
