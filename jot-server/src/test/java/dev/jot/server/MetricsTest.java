package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.config.Settings;
import io.skodjob.testframe.metrics.Counter;
import io.skodjob.testframe.metrics.Gauge;
import io.skodjob.testframe.metrics.Histogram;
import io.skodjob.testframe.metrics.Metric;
import io.skodjob.testframe.metrics.PrometheusTextFormatParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after real traffic, parsed by a Prometheus text-format parser: the meters are there with
 * their label sets, the counts moved by exactly what was done, and no label names a user.
 */
class MetricsTest {
    /** The families read through the parser. */
    static final List<String> OURS = List.of("jot_", "http_server_requests", "hikaricp_", "jvm_threads_live",
            "process_uptime");

    @TempDir
    Path dataDir;

    @Test
    void aScrapeAfterTrafficParsesAndCountsWhatHappened() throws Exception {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).build())) {
            Api api = new Api(server);
            api.register("metrics-ada");
            api.register("metrics-bob");
            for (String name : List.of("metrics-ada", "metrics-ada", "metrics-bob")) {
                api.login(name);
            }
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> wrong = api.http.postJson("/login",
                        Json.write(Map.of("username", "metrics-bob", "password", "not the password")));
                assertThat(wrong.statusCode()).isEqualTo(401);
            }
            String refresh = (String) api.loginPair("metrics-bob").get("refresh_token");
            assertThat(api.http.postJson("/refresh", Json.write(Map.of("refresh_token", refresh))).statusCode())
                    .isEqualTo(200);
            String token = api.login("metrics-ada");
            // a route with a parameter: counted under its template, never its raw path
            assertThat(api.call(token, "DELETE", "/api-keys/no-such-key-4711", null).statusCode()).isEqualTo(404);

            HttpResponse<String> scrape = api.http.get("/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            // The parser splits a line at spaces: the JVM's meters whose labels hold spaces ("G1 Eden Space") are
            // left out of what it reads; every other line must read as one sample (it would skip it silently).
            String page = scrape.body();
            String ours = page.lines().filter(l -> l.startsWith("#") || OURS.stream().anyMatch(l::startsWith))
                    .collect(Collectors.joining("\n"));
            assertThat(ours.lines().filter(l -> !l.startsWith("#")))
                    .as("every sample line is a name with labels and a value").isNotEmpty()
                    .allMatch(l -> l.split(" ").length == 2);
            List<Metric> metrics = PrometheusTextFormatParser.parse(ours);

            assertThat(counter(metrics, "jot_logins_total", Map.of("outcome", "ok"))).isEqualTo(5);
            assertThat(counter(metrics, "jot_logins_total", Map.of("outcome", "failed"))).isEqualTo(2);
            assertThat(counter(metrics, "jot_tokens_issued_total", Map.of("grant", "password"))).isEqualTo(5);
            assertThat(counter(metrics, "jot_tokens_issued_total", Map.of("grant", "refresh_token"))).isEqualTo(1);

            Histogram logins = histogram(page, "http_server_requests_seconds",
                    Map.of("method", "POST", "route", "/login", "status", "200"));
            assertThat(logins.getCount()).isEqualTo(5);
            assertThat(logins.getBuckets()).as("latency buckets, 5 ms to 10 s, and +Inf")
                    .containsKeys(0.005, 0.1, 10.0, Double.MAX_VALUE);
            assertThat(logins.getBuckets().get(Double.MAX_VALUE)).as("+Inf holds every request").isEqualTo(5);
            assertThat(histogram(page, "http_server_requests_seconds",
                    Map.of("method", "POST", "route", "/login", "status", "401")).getCount()).isEqualTo(2);
            assertThat(histogram(page, "http_server_requests_seconds",
                    Map.of("method", "DELETE", "route", "/api-keys/{id}", "status", "404")).getCount()).isEqualTo(1);

            assertThat(names(metrics)).contains("jot_password_hashing_queue", "jot_password_hashing_active",
                    "jot_password_hashing_slots", "jot_password_hashing_refused_total",
                    "jot_revocation_feed_subscribers", "jot_revocation_feed_backlog",
                    "hikaricp_connections_active", "hikaricp_connections_max",
                    "jvm_threads_live_threads", "process_uptime_seconds");
            assertThat(page).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_gc_");
            assertThat(gauge(metrics, "jot_password_hashing_queue")).isZero();
            assertThat(gauge(metrics, "jot_revocation_feed_subscribers")).isZero();
            assertThat(gauge(metrics, "jot_http_requests_active")).as("the scrape itself is being handled")
                    .isGreaterThanOrEqualTo(1);
            // a summary without quantiles (a count and a sum): the parser keeps only histograms' counts
            assertThat(page).contains("# TYPE jot_password_hashing_seconds summary", "jot_password_hashing_seconds_sum ");
            assertThat(page.lines().filter(l -> l.startsWith("jot_password_hashing_seconds_count "))
                    .map(l -> Double.parseDouble(l.split(" ")[1])).findFirst().orElseThrow())
                    .as("hashes run: two registrations, seven logins").isGreaterThanOrEqualTo(9);

            Set<String> labelValues = metrics.stream().flatMap(m -> m.getLabels().values().stream())
                    .collect(Collectors.toSet());
            assertThat(labelValues).as("no label names a user, a key or a raw path")
                    .noneMatch(v -> v.contains("metrics-ada") || v.contains("metrics-bob") || v.contains("4711"));
            assertThat(metrics.stream().flatMap(m -> m.getLabels().keySet().stream()).collect(Collectors.toSet()))
                    .doesNotContain("user", "username", "sub", "client_id", "client", "path", "uri");
        }
    }

    @Test
    void withAMetricsTokenOnlyItsBearerMayScrape() {
        String secret = "metrics-token-0123456789";
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.METRICS_TOKEN, secret).build())) {
            Http http = new Http(server.baseUrl());
            record Case(String authorization, int status, String code) {
            }
            for (Case c : List.of(new Case(null, 401, "token_missing"),
                    new Case("Basic bWV0cmljczp4", 401, "token_missing"),
                    new Case("Bearer metrics-token-wrong-0000", 401, "token_invalid"),
                    new Case("Bearer " + secret + "x", 401, "token_invalid"),
                    new Case("Bearer " + secret, 200, null),
                    new Case("bearer " + secret, 200, null))) {
                HttpResponse<String> r = c.authorization() == null ? http.get("/metrics")
                        : http.get("/metrics", "Authorization", c.authorization());
                assertThat(r.statusCode()).as(String.valueOf(c.authorization())).isEqualTo(c.status());
                if (c.code() != null) {
                    assertThat(Json.parseObject(r.body())).containsEntry("code", c.code());
                    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
                } else {
                    assertThat(r.body()).contains("jot_logins_total").doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void aThrottledLoginIsCountedApartFromAFailedOne() throws Exception {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).set(Settings.THROTTLE_ACCOUNT_FREE, 1)
                .build())) {
            Api api = new Api(server);
            api.register("metrics-cy");
            String wrong = Json.write(Map.of("username", "metrics-cy", "password", "not the password"));
            assertThat(api.http.postJson("/login", wrong).statusCode()).isEqualTo(401);
            assertThat(api.http.postJson("/login", wrong).statusCode()).isEqualTo(429);
            List<Metric> metrics = PrometheusTextFormatParser.parse(api.http.get("/metrics").body().lines()
                    .filter(l -> l.startsWith("jot_")).collect(Collectors.joining("\n")));
            assertThat(counter(metrics, "jot_logins_total", Map.of("outcome", "failed"))).isEqualTo(1);
            assertThat(counter(metrics, "jot_logins_total", Map.of("outcome", "throttled"))).isEqualTo(1);
            assertThat(counter(metrics, "jot_logins_total", Map.of("outcome", "ok"))).isZero();
            assertThat(counter(metrics, "jot_tokens_issued_total", Map.of("grant", "client_credentials"))).isZero();
        }
    }

    @Test
    void machineCredentialsCountUnderTheirGrants() throws Exception {
        try (JotServer server = JotServer.start(TestConfigs.base(dataDir).build())) {
            Api api = new Api(server);
            String admin = api.admin("metrics-admin");
            Map<String, Object> client = api.client(admin, Map.of("name", "metrics-sync", "scopes", List.of("x")));
            api.clientToken((String) client.get("client_id"), (String) client.get("client_secret"));
            api.clientToken((String) client.get("client_id"), (String) client.get("client_secret"));
            String key = (String) api.apiKey(admin, Map.of("name", "metrics-key")).get("key");
            assertThat(api.http.postJson("/login", Json.write(Map.of("api_key", key))).statusCode()).isEqualTo(200);
            List<Metric> metrics = PrometheusTextFormatParser.parse(api.http.get("/metrics").body().lines()
                    .filter(l -> l.startsWith("jot_")).collect(Collectors.joining("\n")));
            assertThat(counter(metrics, "jot_tokens_issued_total", Map.of("grant", "client_credentials"))).isEqualTo(2);
            assertThat(counter(metrics, "jot_tokens_issued_total", Map.of("grant", "api_key"))).isEqualTo(1);
            assertThat(counter(metrics, "jot_tokens_issued_total", Map.of("grant", "password"))).isEqualTo(1);
            assertThat(metrics).as("no label names the client or the key")
                    .allSatisfy(m -> assertThat(m.getLabels().values()).noneMatch(v -> v.contains("metrics-")));
        }
    }

    private static double counter(List<Metric> metrics, String name, Map<String, String> labels) {
        return metrics.stream().filter(m -> m instanceof Counter && m.getName().equals(name)
                        && m.getLabels().equals(labels))
                .map(m -> ((Counter) m).getValue()).findFirst()
                .orElseThrow(() -> new AssertionError(name + labels + " not in the scrape"));
    }

    private static double gauge(List<Metric> metrics, String name) {
        return metrics.stream().filter(m -> m instanceof Gauge && m.getName().equals(name))
                .map(m -> ((Gauge) m).getValue()).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the scrape"));
    }

    /**
     * One series of a histogram, parsed from its lines alone (the parser folds every series of one histogram into
     * its first): the lines whose labels are exactly {@code labels} (Prometheus writes them sorted by name), plus
     * {@code le} on the buckets.
     */
    private static Histogram histogram(String page, String name, Map<String, String> labels) throws Exception {
        String labelText = new java.util.TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(","));
        String series = page.lines()
                .filter(l -> l.startsWith(name + "_bucket{" + labelText + ",le=") || l.startsWith(name + "_count{" + labelText + "}")
                        || l.startsWith(name + "_sum{" + labelText + "}"))
                .collect(Collectors.joining("\n"));
        return PrometheusTextFormatParser.parse(series).stream().filter(m -> m instanceof Histogram)
                .map(m -> (Histogram) m).findFirst()
                .orElseThrow(() -> new AssertionError(name + labels + " not in the scrape"));
    }

    private static Set<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::getName).collect(Collectors.toSet());
    }
}
