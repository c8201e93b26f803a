package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real answers against {@code /openapi.json}: a realistic run through every operation, then a table of refusals,
 * each answer checked against the schema the description gives for its operation, status and media type
 * ({@link OpenApiDescription#problems}). A status the description does not list for the operation fails. Run on
 * every supported database by the subclasses.
 */
abstract class OpenApiContractTest {
    static final String PASSWORD = Api.PASSWORD;
    static final String ZERO_ID = "00000000-0000-0000-0000-000000000000";
    static OpenApiDescription description;

    @TempDir
    Path dataDir;
    TestDatabase database;
    JotServer server;
    MutableClock clock;
    Http http;
    /** Operations answered with a 2xx status so far: {@code "METHOD /path/{}"}. */
    final Set<String> succeeded = new TreeSet<>();

    /** {@code "h2"} or {@code "postgres"} ({@link TestDatabase}). */
    abstract String databaseKind();

    @BeforeAll
    static void loadDescription() {
        description = OpenApiDescription.load();
    }

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind());
        clock = MutableClock.startingNow();
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir)).build(), clock);
        http = Http.unpooled(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Http.disconnect(server.baseUrl());
            server.close();
        }
        database.close();
    }

    // ---- requests, each answer checked against the description ----

    /** Sends a request and checks its answer; {@code headers} as name, value pairs. */
    HttpResponse<String> send(String token, String method, String path, String contentType, String body,
                              String... headers) {
        HttpResponse<String> r = http.raw(token, method, path, contentType, body, headers);
        assertThat(description.problems(method, path, r)).as("%s %s", method, path).isEmpty();
        if (r.statusCode() / 100 == 2) {
            description.template(path).ifPresent(t -> succeeded.add(method + " " + OpenApiDescription.normalise(t)));
        }
        return r;
    }

    Map<String, Object> expect(int status, String token, String method, String path, Object json) {
        HttpResponse<String> r = send(token, method, path, json == null ? null : "application/json",
                json == null ? null : json instanceof String s ? s : Json.write(json));
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
        return r.body().isEmpty() || !r.body().startsWith("{") ? Map.of() : Json.parseObject(r.body());
    }

    Map<String, Object> form(int status, String token, String path, String form, String... headers) {
        HttpResponse<String> r = send(token, "POST", path, "application/x-www-form-urlencoded", form, headers);
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(status);
        return r.body().isEmpty() ? Map.of() : Json.parseObject(r.body());
    }

    String register(String name) {
        return (String) expect(201, null, "POST", "/register", Map.of("username", name, "password", PASSWORD))
                .get("id");
    }

    Map<String, Object> login(String name, String password) {
        return expect(200, null, "POST", "/login", Map.of("username", name, "password", password));
    }

    String admin(String name) {
        register(name);
        server.services().accounts().grantRole(name, "admin");
        return (String) login(name, PASSWORD).get("access_token");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> body, String name) {
        return (List<Map<String, Object>>) body.get(name);
    }

    // ---- the run through every operation ----

    @Test
    void aRunThroughEveryOperationAnswersAsDescribed() {
        expect(200, null, "GET", "/health", null);
        expect(200, null, "GET", "/.well-known/openid-configuration", null);
        expect(200, null, "GET", "/.well-known/jwks.json", null);
        expect(200, null, "GET", "/openapi.json", null);
        expect(200, null, "GET", "/ready", null);
        assertThat(send(null, "GET", "/metrics", null, null).body()).contains("jot_logins_total");

        // A user: register, log in (JSON, form, Basic), profile, refresh, password change
        String adaId = register("ada");
        Map<String, Object> ada = login("ada", PASSWORD);
        String adaToken = (String) ada.get("access_token");
        assertThat(send(null, "POST", "/login", "application/x-www-form-urlencoded",
                "username=ada&password=" + enc(PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(send(null, "POST", "/login", null, null, "Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("ada:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .statusCode()).isEqualTo(200);
        assertThat(expect(200, adaToken, "GET", "/me", null)).containsEntry("id", adaId);
        Map<String, Object> refreshed = expect(200, null, "POST", "/refresh",
                Map.of("refresh_token", ada.get("refresh_token")));
        adaToken = (String) refreshed.get("access_token");
        String newPassword = PASSWORD + " and more";
        expect(204, adaToken, "POST", "/me/password",
                Map.of("current_password", PASSWORD, "new_password", newPassword));

        // Her API keys: make one, list, trade it at /login and at the token endpoint, delete it
        Map<String, Object> key = expect(201, adaToken, "POST", "/api-keys", Map.of("name", "ci", "expires_in", 3600));
        assertThat(items(expect(200, adaToken, "GET", "/api-keys", null), "api_keys")).hasSize(1);
        assertThat(send(null, "POST", "/login", null, null, "X-API-Key", (String) key.get("key")).statusCode())
                .isEqualTo(200);
        expect(200, null, "POST", "/login", Map.of("api_key", key.get("key")));
        form(200, null, "/oauth2/token", Api.form("grant_type", "client_credentials", "client_id",
                (String) key.get("id"), "client_secret", (String) key.get("key")));
        expect(204, adaToken, "DELETE", "/api-keys/" + key.get("id"), null);
        String keptKeyId = (String) expect(201, adaToken, "POST", "/api-keys", Map.of("name", "metered")).get("id");

        // An admin: clients and their secrets
        String root = admin("root");
        Map<String, Object> client = expect(201, root, "POST", "/admin/clients",
                Map.of("name", "gateway", "scopes", List.of("jot:introspect", "jot:revocations")));
        String clientId = (String) client.get("client_id");
        String clientSecret = (String) client.get("client_secret");
        assertThat(items(expect(200, root, "GET", "/admin/clients", null), "clients")).hasSize(1);
        expect(200, root, "GET", "/admin/clients/" + clientId, null);
        Map<String, Object> second = expect(201, root, "POST", "/admin/clients/" + clientId + "/secrets", null);
        expect(204, root, "DELETE", "/admin/clients/" + clientId + "/secrets/" + second.get("id"), null);

        // OAuth 2.0: client credentials (Basic and post), password and refresh grants, introspection, revocation
        String gateway = (String) form(200, null, "/oauth2/token", "grant_type=client_credentials",
                "Authorization", Api.basic(clientId, clientSecret)).get("access_token");
        form(200, null, "/oauth2/token", Api.form("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", clientSecret, "scope", "jot:introspect"));
        Map<String, Object> pair = form(200, null, "/oauth2/token",
                Api.form("grant_type", "password", "username", "ada", "password", newPassword, "scope", "profile"));
        Map<String, Object> renewed = form(200, null, "/oauth2/token",
                Api.form("grant_type", "refresh_token", "refresh_token", (String) pair.get("refresh_token")));
        assertThat(form(200, gateway, "/oauth2/introspect", Api.form("token", (String) renewed.get("access_token"))))
                .containsEntry("active", true);
        assertThat(form(200, gateway, "/oauth2/introspect", Api.form("token", (String) renewed.get("refresh_token"))))
                .containsEntry("active", true);
        assertThat(form(200, root, "/oauth2/introspect", Api.form("token", "not-a-token"))).containsEntry("active", false);
        form(200, null, "/oauth2/revoke", Api.form("token", (String) renewed.get("refresh_token")));
        form(200, null, "/oauth2/revoke", Api.form("token", (String) renewed.get("access_token"),
                "token_type_hint", "access_token"));
        revocationFeed(gateway);

        // Users, sessions, audit, keys
        Map<String, Object> users = expect(200, root, "GET", "/admin/users?limit=1", null);
        assertThat(users.get("next_cursor")).isNotNull();
        expect(200, root, "GET", "/admin/users?limit=1&cursor=" + enc((String) users.get("next_cursor")), null);
        expect(200, root, "GET", "/admin/users?q=ad", null);
        Map<String, Object> bob = expect(201, root, "POST", "/admin/users",
                Map.of("username", "bob", "password", PASSWORD, "roles", List.of("auditor")));
        String bobId = (String) bob.get("id");
        expect(200, root, "GET", "/admin/users/" + bobId, null);
        expect(200, root, "PATCH", "/admin/users/" + bobId, Map.of("disabled", true, "roles", List.of()));
        Map<String, Object> sessions = expect(200, root, "GET", "/admin/sessions?user_id=" + adaId, null);
        expect(204, root, "DELETE", "/admin/sessions/" + items(sessions, "sessions").getFirst().get("id"), null);
        Map<String, Object> audit = expect(200, root, "GET", "/admin/audit?limit=2&type=login", null);
        expect(200, root, "GET", "/admin/audit?since=2000-01-01T00:00:00Z&user_id=" + adaId, null);
        if (audit.get("next_cursor") != null) {
            expect(200, root, "GET", "/admin/audit?limit=2&cursor=" + enc((String) audit.get("next_cursor")), null);
        }
        expect(200, root, "POST", "/admin/keys/rotate", null);
        expect(204, root, "DELETE", "/admin/users/" + bobId, null);

        // Throttles: a failed login leaves one to list and forget
        send(null, "POST", "/login", "application/json", Json.write(Map.of("username", "ada", "password", "wrong")));
        List<Map<String, Object>> throttles = items(expect(200, root, "GET", "/admin/throttles", null), "throttles");
        assertThat(throttles).isNotEmpty();
        expect(204, root, "DELETE", "/admin/throttles/" + enc((String) throttles.getFirst().get("key")), null);

        // Usage: a guard's client ships a batch (twice: counted once), then the reads, alerts and quotas. The counts
        // are cleo's, who has made no request a guard counts (Jot meters its own routes too), so what the reads show
        // of her is the batch alone; her own read comes last.
        String cleoId = (String) expect(201, root, "POST", "/admin/users",
                Map.of("username", "cleo", "password", PASSWORD, "roles", List.of())).get("id");
        Map<String, Object> meter = expect(201, root, "POST", "/admin/clients",
                Map.of("name", "orders-api", "scopes", List.of("jot:usage")));
        String meterToken = (String) form(200, null, "/oauth2/token", Api.form("grant_type", "client_credentials",
                "client_id", (String) meter.get("client_id"), "client_secret", (String) meter.get("client_secret")))
                .get("access_token");
        expect(200, root, "PUT", "/admin/users/" + cleoId + "/quota", Map.of("day", 10));
        long minute = clock.instant().getEpochSecond() / 60 * 60;
        Map<String, Object> batch = Map.of("batch_id", "orders-1-0001", "instance", "orders-1", "merged_buckets", 0,
                "counts", List.of(Map.of("minute", minute, "sub", cleoId, "client_id", "jot", "audience", "orders-api",
                        "route", "/orders/{id}", "status", "2xx", "count", 9)),
                "rejected", List.of(Map.of("minute", minute, "reason", "token_expired", "count", 1)));
        assertThat(expect(202, meterToken, "POST", "/usage/batches", batch)).containsEntry("duplicate", false);
        assertThat(expect(200, meterToken, "POST", "/usage/batches", batch)).containsEntry("duplicate", true);
        server.services().jobs().runNow(dev.jot.server.usage.UsageService.APPLY);
        String ahead = enc(clock.instant().plusSeconds(60).toString());
        assertThat(send(root, "GET", "/admin/usage?from=-1h&to=" + ahead + "&audience=orders-api&group_by=subject",
                null, null, "Accept", "text/csv").body()).startsWith("start,subject,status,requests\r\n");
        assertThat(expect(200, root, "GET", "/admin/usage?to=" + ahead + "&granularity=day&audience=orders-api", null))
                .containsEntry("total", 9L);
        assertThat(items(expect(200, root, "GET", "/admin/usage/top?by=subject&limit=5&to=" + ahead, null), "items"))
                .anySatisfy(top -> assertThat(top).containsEntry("subject", cleoId).containsEntry("requests", 9L));
        send(root, "GET", "/admin/usage/top?by=client&to=" + ahead, null, null, "Accept", "text/csv");
        assertThat(items(expect(200, root, "GET", "/admin/usage/alerts", null), "items"))
                .anySatisfy(a -> assertThat(a).containsEntry("value", cleoId).containsEntry("level", "warning"));
        send(root, "GET", "/admin/usage/alerts?limit=10", null, null, "Accept", "text/csv");
        Map<String, Object> mine = expect(200, (String) login("cleo", PASSWORD).get("access_token"), "GET",
                "/me/usage?to=" + ahead + "&granularity=minute&group_by=route", null);
        assertThat(items(mine, "points")).anySatisfy(p -> assertThat(p).containsEntry("route", "/orders/{id}")
                .containsEntry("requests", 9L));
        assertThat(expect(200, root, "GET", "/admin/users/" + cleoId + "/quota", null))
                .containsEntry("bucket", "sub:" + cleoId);
        expect(204, root, "DELETE", "/admin/users/" + cleoId + "/quota", null);
        expect(200, root, "PUT", "/admin/api-keys/" + keptKeyId + "/quota", Map.of("minute", 60, "month", 100_000));
        expect(200, root, "GET", "/admin/api-keys/" + keptKeyId + "/quota", null);
        expect(204, root, "DELETE", "/admin/api-keys/" + keptKeyId + "/quota", null);
        expect(200, root, "PUT", "/admin/clients/" + clientId + "/quota", Map.of("minute", 600));
        expect(200, root, "GET", "/admin/clients/" + clientId + "/quota", null);
        expect(204, root, "DELETE", "/admin/clients/" + clientId + "/quota", null);

        expect(204, root, "DELETE", "/admin/clients/" + clientId, null);

        // Logging out
        Map<String, Object> last = login("ada", newPassword);
        expect(204, (String) last.get("access_token"), "POST", "/logout",
                Map.of("refresh_token", last.get("refresh_token")));
        expect(204, (String) login("ada", newPassword).get("access_token"), "POST", "/logout", null);
        expect(204, (String) login("ada", newPassword).get("access_token"), "POST", "/logout/all", null);

        assertThat(succeeded).as("every described operation was run to a success").isEqualTo(description.operations());
    }

    /** {@code GET /revocations}: an endless stream, so its answer is read as far as its headers and first event. */
    void revocationFeed(String token) {
        try (SseStream feed = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + token)) {
            assertThat(feed.status).isEqualTo(200);
            FakeResponse head = new FakeResponse(feed.status, feed.headers, "");
            assertThat(description.problems("GET", "/revocations", head)).isEmpty();
            succeeded.add("GET /revocations");
        }
    }

    // ---- refusals ----

    /** Restarts the server on the same database with {@code settings} changed. */
    void restart(java.util.function.UnaryOperator<dev.jot.server.config.ServerConfig.Builder> settings) {
        server.close();
        server = JotServer.start(settings.apply(database.applyTo(TestConfigs.base(dataDir))).build(),
                MutableClock.startingNow());
        http = Http.unpooled(server.baseUrl());
    }

    @Test
    void closedRegistrationAnswersAsDescribed() {
        restart(b -> b.set(dev.jot.server.config.Settings.REGISTRATION, dev.jot.server.config.Registration.CLOSED));

        HttpResponse<String> r = send(null, "POST", "/register", "application/json",
                Json.write(Map.of("username", "ada", "password", PASSWORD)));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Api.code(r)).isEqualTo("registration_closed");
    }

    @Test
    void throttledPasswordRoutesAnswerAsDescribed() {
        restart(b -> b.set(dev.jot.server.config.Settings.THROTTLE_ACCOUNT_FREE, 2)
                .set(dev.jot.server.config.Settings.THROTTLE_REGISTER_FREE, 1));
        register("ada");
        String wrong = Json.write(Map.of("username", "ada", "password", "wrong"));
        for (int i = 0; i < 2; i++) {
            assertThat(send(null, "POST", "/login", "application/json", wrong).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> login = send(null, "POST", "/login", "application/json", wrong);
        HttpResponse<String> token = send(null, "POST", "/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=password&username=ada&password=wrong");
        HttpResponse<String> register = send(null, "POST", "/register", "application/json",
                Json.write(Map.of("username", "bob", "password", PASSWORD)));

        assertThat(login.statusCode()).isEqualTo(429);
        assertThat(Api.code(login)).isEqualTo("rate_limited");
        assertThat(token.statusCode()).isEqualTo(429);
        assertThat(Api.error(token)).isEqualTo("temporarily_unavailable");
        assertThat(register.statusCode()).isEqualTo(429);
    }

    /** One refusal: how to send it, the status and {@code code} (or OAuth {@code error}) it must get. */
    record Refusal(String name, Supplier<HttpResponse<String>> request, int status, String code) {
    }

    @Test
    void refusalsAnswerAsDescribed() {
        register("ada");
        String ada = (String) login("ada", PASSWORD).get("access_token");
        String root = admin("root");
        Map<String, Object> client = expect(201, root, "POST", "/admin/clients",
                Map.of("name", "gateway", "scopes", List.of("jot:introspect")));
        Map<String, Object> meter = expect(201, root, "POST", "/admin/clients",
                Map.of("name", "orders-api", "scopes", List.of("jot:usage")));
        String meterToken = (String) form(200, null, "/oauth2/token", Api.form("grant_type", "client_credentials",
                "client_id", (String) meter.get("client_id"), "client_secret", (String) meter.get("client_secret")))
                .get("access_token");
        String gateway = (String) form(200, null, "/oauth2/token", Api.form("grant_type", "client_credentials",
                "client_id", (String) client.get("client_id"), "client_secret", (String) client.get("client_secret")))
                .get("access_token");
        String big = "{\"username\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}";
        String json = "application/json";
        String formType = "application/x-www-form-urlencoded";

        List<Refusal> refusals = List.of(
                // malformed and mistyped bodies, media types, sizes
                new Refusal("malformed JSON", () -> send(null, "POST", "/register", json, "{\"username\":"), 400,
                        "invalid_request"),
                new Refusal("a number for a string", () -> send(null, "POST", "/register", json,
                        "{\"username\":1,\"password\":\"correct horse battery\"}"), 400, "invalid_request"),
                new Refusal("an array for an object", () -> send(null, "POST", "/login", json, "[]"), 400,
                        "invalid_request"),
                new Refusal("a string for a boolean", () -> send(root, "PATCH", "/admin/users/" + ZERO_ID, json,
                        "{\"disabled\":\"yes\"}"), 400, "invalid_request"),
                new Refusal("an unknown field", () -> send(ada, "POST", "/api-keys", json,
                        "{\"name\":\"k\",\"colour\":\"red\"}"), 400, "invalid_request"),
                new Refusal("a body where none is taken", () -> send(root, "POST", "/admin/keys/rotate", json,
                        "{\"now\":true}"), 400, "invalid_request"),
                new Refusal("a bad time in a query", () -> send(root, "GET", "/admin/audit?since=yesterday", null,
                        null), 400, "invalid_request"),
                new Refusal("a bad page size", () -> send(root, "GET", "/admin/users?limit=0", null, null), 400,
                        "invalid_request"),
                new Refusal("a bad cursor", () -> send(root, "GET", "/admin/sessions?cursor=nonsense", null, null),
                        400, "invalid_request"),
                new Refusal("a username the rules refuse", () -> send(null, "POST", "/register", json,
                        "{\"username\":\"a b\",\"password\":\"correct horse battery\"}"), 400, "invalid_username"),
                new Refusal("a short password", () -> send(null, "POST", "/register", json,
                        "{\"username\":\"carol\",\"password\":\"x\"}"), 400, "invalid_password"),
                new Refusal("a role the rules refuse", () -> send(root, "POST", "/admin/users", json,
                        "{\"username\":\"carol\",\"password\":\"correct horse battery\",\"roles\":[\"Not A Role!\"]}"),
                        400, "invalid_role"),
                new Refusal("text for JSON", () -> send(null, "POST", "/register", "text/plain", "ada"), 415,
                        "unsupported_media_type"),
                new Refusal("no body type at login", () -> send(null, "POST", "/login", "text/plain", "ada"), 415,
                        "unsupported_media_type"),
                new Refusal("an over-long body", () -> send(null, "POST", "/register", json, big), 413,
                        "payload_too_large"),
                new Refusal("an over-long form", () -> send(null, "POST", "/oauth2/token", formType,
                        "grant_type=password&username=" + "a".repeat(70_000)), 413, "invalid_request"),
                // credentials and tokens
                new Refusal("a wrong password", () -> send(null, "POST", "/login", json,
                        "{\"username\":\"ada\",\"password\":\"wrong\"}"), 401, "invalid_credentials"),
                new Refusal("a wrong password by Basic", () -> send(null, "POST", "/login", null, null,
                        "Authorization", Api.basic("ada", "wrong")), 401, "invalid_credentials"),
                new Refusal("an unknown API key", () -> send(null, "POST", "/login", null, null, "X-API-Key",
                        "jot_nonsense"), 401, "invalid_credentials"),
                new Refusal("no token", () -> send(null, "GET", "/me", null, null), 401, "token_missing"),
                new Refusal("a forged token", () -> send("a.b.c", "GET", "/api-keys", null, null), 401,
                        "token_invalid"),
                new Refusal("a spent refresh token", () -> send(null, "POST", "/refresh", json,
                        "{\"refresh_token\":\"nonsense\"}"), 401, "token_invalid"),
                new Refusal("a malformed Authorization header", () -> send(null, "POST", "/logout", null, null,
                        "Authorization", "Bearer"), 400, "invalid_request"),
                new Refusal("a user at an admin route", () -> send(ada, "GET", "/admin/users", null, null), 403,
                        "insufficient_scope"),
                new Refusal("a user at the throttles", () -> send(ada, "GET", "/admin/throttles", null, null), 403,
                        "insufficient_scope"),
                new Refusal("a user reading the revocation feed", () -> send(ada, "GET", "/revocations", null, null),
                        403, "insufficient_scope"),
                new Refusal("a client's token at /me", () -> send(gateway, "GET", "/me", null, null), 403,
                        "insufficient_scope"),
                new Refusal("a client's token making API keys", () -> send(gateway, "POST", "/api-keys", json,
                        "{\"name\":\"k\"}"), 403, "insufficient_scope"),
                new Refusal("a wrong current password", () -> send(ada, "POST", "/me/password", json,
                        "{\"current_password\":\"wrong\",\"new_password\":\"another good password\"}"), 403,
                        "invalid_credentials"),
                // state
                new Refusal("a taken username", () -> send(null, "POST", "/register", json,
                        "{\"username\":\"ADA\",\"password\":\"correct horse battery\"}"), 409, "user_exists"),
                new Refusal("disabling the last admin", () -> send(root, "PATCH", "/admin/users/"
                        + Api.claims(root).get("sub"), json, "{\"disabled\":true}"), 409, "last_admin"),
                new Refusal("no such user", () -> send(root, "GET", "/admin/users/" + ZERO_ID, null, null), 404,
                        "user_not_found"),
                new Refusal("no such session", () -> send(root, "DELETE", "/admin/sessions/" + ZERO_ID, null, null),
                        404, "session_not_found"),
                new Refusal("no such API key", () -> send(ada, "DELETE", "/api-keys/" + ZERO_ID, null, null), 404,
                        "api_key_not_found"),
                new Refusal("no such client", () -> send(root, "GET", "/admin/clients/" + ZERO_ID, null, null), 404,
                        "client_not_found"),
                new Refusal("no such secret", () -> send(root, "DELETE", "/admin/clients/" + client.get("client_id")
                        + "/secrets/" + ZERO_ID, null, null), 404, "secret_not_found"),
                new Refusal("no such throttle", () -> send(root, "DELETE", "/admin/throttles/nobody", null, null), 404,
                        "not_found"),
                new Refusal("no such route", () -> send(null, "GET", "/nowhere", null, null), 404, "not_found"),
                new Refusal("a method the path lacks", () -> send(null, "PUT", "/register", json, "{}"), 405,
                        "method_not_allowed"),
                new Refusal("DELETE on the health check", () -> send(null, "DELETE", "/health", null, null), 405,
                        "method_not_allowed"),
                // the OAuth endpoints: RFC 6749 errors, but problems for the caller's own bearer token
                new Refusal("an unsupported grant", () -> send(null, "POST", "/oauth2/token", formType,
                        "grant_type=implicit"), 400, "unsupported_grant_type"),
                new Refusal("JSON at the token endpoint", () -> send(null, "POST", "/oauth2/token", json,
                        "{\"grant_type\":\"password\"}"), 400, "invalid_request"),
                new Refusal("a wrong password grant", () -> send(null, "POST", "/oauth2/token", formType,
                        "grant_type=password&username=ada&password=wrong"), 400, "invalid_grant"),
                new Refusal("a scope the user may not have", () -> send(null, "POST", "/oauth2/token", formType,
                        "grant_type=password&username=ada&password=" + enc(PASSWORD) + "&scope=jot%3Aintrospect"),
                        400, "invalid_scope"),
                new Refusal("a wrong client secret by Basic", () -> send(null, "POST", "/oauth2/token", formType,
                        "grant_type=client_credentials", "Authorization", Api.basic((String) client.get("client_id"),
                                "wrong")), 401, "invalid_client"),
                new Refusal("a wrong client secret posted", () -> send(null, "POST", "/oauth2/revoke", formType,
                        "token=x&client_id=" + client.get("client_id") + "&client_secret=wrong"), 400,
                        "invalid_client"),
                new Refusal("revoking without a token", () -> send(null, "POST", "/oauth2/revoke", formType, ""), 400,
                        "invalid_request"),
                new Refusal("introspecting without a bearer token", () -> send(null, "POST", "/oauth2/introspect",
                        formType, "token=x"), 401, "token_missing"),
                new Refusal("introspecting as a plain user", () -> send(ada, "POST", "/oauth2/introspect", formType,
                        "token=x"), 403, "insufficient_scope"),
                // usage and quotas
                new Refusal("a batch without an id", () -> send(meterToken, "POST", "/usage/batches", json,
                        "{\"counts\":[]}"), 400, "usage_batch_invalid"),
                new Refusal("a batch minute off the minute", () -> send(meterToken, "POST", "/usage/batches", json,
                        "{\"batch_id\":\"b2\",\"counts\":[{\"minute\":61,\"sub\":\"u\",\"route\":\"/x\","
                                + "\"status\":\"2xx\",\"count\":1}]}"), 400, "usage_batch_invalid"),
                new Refusal("a user's token shipping usage", () -> send(ada, "POST", "/usage/batches", json,
                        "{\"batch_id\":\"b3\",\"counts\":[]}"), 403, "insufficient_scope"),
                new Refusal("shipping usage without a token", () -> send(null, "POST", "/usage/batches", json,
                        "{\"batch_id\":\"b4\",\"counts\":[]}"), 401, "token_missing"),
                new Refusal("text for a usage batch", () -> send(meterToken, "POST", "/usage/batches", "text/plain",
                        "b5"), 415, "unsupported_media_type"),
                new Refusal("a usage range that ends before it starts", () -> send(ada, "GET",
                        "/me/usage?from=-1h&to=-2h", null, null), 400, "usage_query_invalid"),
                new Refusal("a usage granularity that is not one", () -> send(root, "GET",
                        "/admin/usage?granularity=week", null, null), 400, "usage_query_invalid"),
                new Refusal("a usage range of too many minutes", () -> send(root, "GET",
                        "/admin/usage?from=-30d&granularity=minute", null, null), 400, "usage_query_invalid"),
                new Refusal("a top list ranked by nothing known", () -> send(root, "GET", "/admin/usage/top?by=route",
                        null, null), 400, "usage_query_invalid"),
                new Refusal("a user reading everyone's usage", () -> send(ada, "GET", "/admin/usage", null, null),
                        403, "insufficient_scope"),
                new Refusal("reading usage without a token", () -> send(null, "GET", "/me/usage", null, null), 401,
                        "token_missing"),
                new Refusal("a quota of nothing", () -> send(root, "PUT", "/admin/users/" + Api.claims(root).get("sub")
                        + "/quota", json, "{\"day\":0}"), 400, "invalid_request"),
                new Refusal("the quota of no such user", () -> send(root, "GET", "/admin/users/" + ZERO_ID + "/quota",
                        null, null), 404, "user_not_found"),
                new Refusal("the quota of no such API key", () -> send(root, "PUT", "/admin/api-keys/" + ZERO_ID
                        + "/quota", json, "{\"day\":5}"), 404, "api_key_not_found"),
                new Refusal("the quota of no such client", () -> send(root, "DELETE", "/admin/clients/" + ZERO_ID
                        + "/quota", null, null), 404, "client_not_found"),
                new Refusal("introspecting nothing", () -> send(gateway, "POST", "/oauth2/introspect", formType, ""),
                        400, "invalid_request"));

        List<String> wrong = new ArrayList<>();
        for (Refusal refusal : refusals) {
            HttpResponse<String> r = refusal.request().get();
            Map<String, Object> body = Json.parseObject(r.body());
            Object code = body.containsKey("code") ? body.get("code") : body.get("error");
            if (r.statusCode() != refusal.status() || !refusal.code().equals(code)) {
                wrong.add(refusal.name() + ": " + r.statusCode() + " " + r.body());
            }
        }
        assertThat(wrong).isEmpty();
    }
}
