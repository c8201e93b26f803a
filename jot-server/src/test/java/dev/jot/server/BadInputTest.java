package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on every route of machine credentials and administration (issue 13): at least twenty malformed
 * requests per route (wrong types, unknown fields, 10 KB names, scopes with control characters, broken JSON, odd
 * ids and parameters), each answered 4xx with a stable code, never 5xx — on H2 and PostgreSQL.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class BadInputTest {
    static final String TEN_KB = "x".repeat(10 * 1024);
    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    /**
     * One bad request: what is wrong, its content type and body (null: none), and its path's tail, query, or
     * header value (which the route says).
     */
    record Bad(String what, String contentType, String body, String query) {
        static Bad json(String what, String body) {
            return new Bad(what, JSON, body, "");
        }

        static Bad query(String what, String query) {
            return new Bad(what, null, null, query);
        }

        @Override
        public String toString() {
            return what;
        }
    }

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    JotServer server;
    Api api;
    Http http;
    String admin;
    String user;
    String userId;
    Map<String, Object> client;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir)).build());
        api = new Api(server);
        http = Http.unpooled(server.baseUrl());
        admin = api.admin("root");
        userId = api.register("ada");
        user = api.login("ada");
        client = api.client(admin, Map.of("name", "c", "scopes", List.of("orders:read")));
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    /** Bodies every JSON route refuses, whatever its fields. */
    static List<Bad> anyJsonRoute() {
        return List.of(
                Bad.json("not JSON", "{"),
                Bad.json("an array", "[]"),
                Bad.json("a string", "\"name\""),
                Bad.json("null", "null"),
                Bad.json("trailing data", "{} {}"),
                Bad.json("a repeated member", "{\"name\":\"a\",\"name\":\"b\"}"),
                Bad.json("nested 100 deep", "{\"name\":" + "[".repeat(100) + "]".repeat(100) + "}"),
                Bad.json("an unknown field", "{\"name\":\"a\",\"nope\":1}"),
                Bad.json("invalid UTF-8 escape", "{\"name\":\"\\ud800\\u\"}"),
                new Bad("text/plain", "text/plain", "{\"name\":\"a\"}", ""),
                new Bad("a form", FORM, "name=a", ""),
                new Bad("over 64 KiB", JSON, "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}", ""));
    }

    static List<Bad> withFields(String name, String scopes, String... more) {
        List<Bad> rows = new ArrayList<>(anyJsonRoute());
        rows.addAll(List.of(
                Bad.json(name + " a number", "{\"" + name + "\":1" + more(more) + "}"),
                Bad.json(name + " an object", "{\"" + name + "\":{}" + more(more) + "}"),
                Bad.json(name + " of 10 KB", "{\"" + name + "\":\"" + TEN_KB + "\"" + more(more) + "}"),
                Bad.json(name + " with a NUL", "{\"" + name + "\":\"a\\u0000b\"" + more(more) + "}"),
                Bad.json(name + " with a line feed", "{\"" + name + "\":\"a\\nb\"" + more(more) + "}"),
                Bad.json(name + " blank", "{\"" + name + "\":\"   \"" + more(more) + "}"),
                Bad.json(scopes + " a string", "{\"" + name + "\":\"ok\",\"" + scopes + "\":\"profile\"" + more(more) + "}"),
                Bad.json(scopes + " of numbers", "{\"" + name + "\":\"ok\",\"" + scopes + "\":[1]" + more(more) + "}"),
                Bad.json(scopes + " with a control character", "{\"" + name + "\":\"ok\",\"" + scopes
                        + "\":[\"pro\\u0007file\"]" + more(more) + "}"),
                Bad.json(scopes + " with a space", "{\"" + name + "\":\"ok\",\"" + scopes + "\":[\"a b\"]" + more(more) + "}"),
                Bad.json(scopes + " of 10 KB", "{\"" + name + "\":\"ok\",\"" + scopes + "\":[\"" + TEN_KB + "\"]"
                        + more(more) + "}"),
                Bad.json(scopes + " of 100", "{\"" + name + "\":\"ok\",\"" + scopes + "\":["
                        + String.join(",", Stream.generate(() -> "\"s\"").limit(100).toList()) + "]" + more(more) + "}")));
        return rows;
    }

    private static String more(String... fields) {
        return fields.length == 0 ? "" : "," + String.join(",", fields);
    }

    static List<Bad> apiKeyBodies() {
        List<Bad> rows = new ArrayList<>(withFields("name", "scopes"));
        rows.addAll(List.of(
                Bad.json("expires_in a string", "{\"name\":\"ok\",\"expires_in\":\"60\"}"),
                Bad.json("expires_in a fraction", "{\"name\":\"ok\",\"expires_in\":1.5}"),
                Bad.json("expires_in negative", "{\"name\":\"ok\",\"expires_in\":-1}"),
                Bad.json("expires_in 1e40", "{\"name\":\"ok\",\"expires_in\":1e40}"),
                Bad.json("audiences unknown", "{\"name\":\"ok\",\"audiences\":[\"https://elsewhere.example\"]}"),
                Bad.json("scopes not the user's", "{\"name\":\"ok\",\"scopes\":[\"admin\"]}")));
        return rows;
    }

    static List<Bad> clientBodies() {
        List<Bad> rows = new ArrayList<>(withFields("name", "scopes", "\"scopes_x\":0").stream()
                .filter(b -> !b.what().startsWith("name")).toList());
        rows.addAll(withFields("name", "scopes").stream().filter(b -> b.what().startsWith("name")).toList());
        rows.addAll(List.of(
                Bad.json("no scopes", "{\"name\":\"ok\"}"),
                Bad.json("the admin scope", "{\"name\":\"ok\",\"scopes\":[\"admin\"]}"),
                Bad.json("audiences a string", "{\"name\":\"ok\",\"scopes\":[\"a\"],\"audiences\":\"x\"}")));
        return rows;
    }

    static List<Bad> userBodies() {
        List<Bad> rows = new ArrayList<>(withFields("username", "roles", "\"password\":\"long enough pw\""));
        rows.addAll(List.of(
                Bad.json("a short password", "{\"username\":\"zed\",\"password\":\"short\"}"),
                Bad.json("password a number", "{\"username\":\"zed\",\"password\":12345678}"),
                Bad.json("a role in capitals", "{\"username\":\"zed\",\"password\":\"long enough pw\",\"roles\":[\"ADMIN\"]}"),
                Bad.json("a taken username", "{\"username\":\"ada\",\"password\":\"long enough pw\"}")));
        return rows;
    }

    static List<Bad> patchBodies() {
        List<Bad> rows = new ArrayList<>(anyJsonRoute());
        rows.addAll(List.of(
                Bad.json("disabled a string", "{\"disabled\":\"true\"}"),
                Bad.json("disabled a number", "{\"disabled\":1}"),
                Bad.json("roles a string", "{\"roles\":\"admin\"}"),
                Bad.json("roles of numbers", "{\"roles\":[1]}"),
                Bad.json("a role of 10 KB", "{\"roles\":[\"" + TEN_KB + "\"]}"),
                Bad.json("a role with a control character", "{\"roles\":[\"a\\u0007\"]}"),
                Bad.json("20 roles", "{\"roles\":[" + String.join(",", Stream.iterate(0, i -> i + 1).limit(20)
                        .map(i -> "\"r" + i + "\"").toList()) + "]}"),
                Bad.json("username (not patchable)", "{\"username\":\"eve\"}"),
                Bad.json("password (not patchable)", "{\"password\":\"long enough pw\"}")));
        return rows;
    }

    static List<Bad> secretBodies() {
        List<Bad> rows = new ArrayList<>(anyJsonRoute().stream().filter(b -> !b.what().equals("text/plain")
                && !b.what().equals("a form")).toList());
        rows.addAll(List.of(
                Bad.json("a name", "{\"name\":\"x\"}"),
                Bad.json("a secret of one's choosing", "{\"client_secret\":\"jot_x\"}"),
                Bad.json("scopes", "{\"scopes\":[\"a\"]}"),
                Bad.json("an empty member name", "{\"\":1}"),
                Bad.json("a 10 KB member name", "{\"" + TEN_KB + "\":1}"),
                Bad.json("a control character in a name", "{\"a\\u0000\":1}"),
                Bad.json("expires_in", "{\"expires_in\":60}"),
                Bad.json("null member", "{\"id\":null}"),
                new Bad("text/plain", "text/plain", "x", ""),
                new Bad("a form", FORM, "a=b", "")));
        return rows;
    }

    static List<Bad> ids() {
        return Stream.of("nope", "00000000-0000-0000-0000-000000000000", "%00", "%20", "..%2F..", "a%0Ab",
                "%E2%80%AE", "'%20OR%201=1--", "%25", "x".repeat(100), TEN_KB, "-1", "0", "1e10", "null", "true",
                "%7B%7D", "%5B%5D", "%C0%AF", "%F0%9F%94%91").map(id -> new Bad("id " + (id.length() > 40
                ? id.length() + " characters" : id), null, null, id)).toList();
    }

    static List<Bad> pageQueries(String... more) {
        List<Bad> rows = new ArrayList<>(List.of(
                Bad.query("limit a word", "limit=abc"),
                Bad.query("limit 0", "limit=0"),
                Bad.query("limit -1", "limit=-1"),
                Bad.query("limit 100000", "limit=100000"),
                Bad.query("limit 1.5", "limit=1.5"),
                Bad.query("limit 10 KB", "limit=" + "9".repeat(10240)),
                Bad.query("limit twice", "limit=1&limit=2"),
                Bad.query("cursor garbage", "cursor=garbage!"),
                Bad.query("cursor of 10 KB", "cursor=" + TEN_KB),
                Bad.query("cursor NUL", "cursor=%00"),
                Bad.query("cursor base64 of nonsense", "cursor=" + b64("hello")),
                Bad.query("cursor with a bad id", "cursor=" + b64("1:a'b")),
                Bad.query("cursor with a huge time", "cursor=" + b64("99999999999999999999:a")),
                Bad.query("cursor twice", "cursor=a&cursor=b"),
                Bad.query("limit with a plus", "limit=%2B5"),
                Bad.query("limit in hexadecimal", "limit=0x10"),
                Bad.query("limit in Arabic-Indic digits", "limit=%D9%A1%D9%A0"),
                Bad.query("limit with a space", "limit=5%20"),
                Bad.query("limit NUL", "limit=%00"),
                Bad.query("cursor of a valid form, then junk", "cursor=" + b64("1:abc") + "!!")));
        for (String name : more) {
            rows.add(Bad.query(name + " of 10 KB", name + "=" + TEN_KB));
            rows.add(Bad.query(name + " twice", name + "=a&" + name + "=b"));
        }
        return rows;
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** What a route without parameters can get wrong: the bearer token, sent in every wrong way. */
    static List<Bad> badBearers() {
        return Stream.of("", "Bearer", "Bearer ", "Bearer  x", "Bearer a.b.c", "Bearer " + TEN_KB.substring(0, 6000),
                "Bearer x y", "Basic " + b64("ada:" + Api.PASSWORD), "Token abc", "Bearer é",
                "Bearer eyJhbGciOiJub25lIn0.e30.", "Bearer ..", "Bearer a..b", "Bearer =", "Bearer %00",
                "Bearer eyJ", "Bearer e30.e30.e30", "Bearer " + "A".repeat(100) + "." + "A".repeat(100) + ".",
                "Negotiate abc", "Bearer	x")
                .map(h -> new Bad("Authorization: " + (h.length() > 40 ? h.length() + " characters" : h), null, null, h))
                .toList();
    }

    static List<Bad> auditQueries() {
        List<Bad> rows = new ArrayList<>(pageQueries("user_id", "type"));
        rows.addAll(List.of(
                Bad.query("since a word", "since=yesterday"),
                Bad.query("since without a zone", "since=2026-01-01T00:00:00"),
                Bad.query("until in month 13", "until=2026-13-01T00:00:00Z"),
                Bad.query("until a number", "until=1700000000")));
        return rows;
    }

    static List<Bad> tokenForms() {
        String id = "00000000-0000-0000-0000-000000000000";
        return Stream.of(
                "grant_type=client_credentials",
                "grant_type=client_credentials&client_secret=jot_x",
                "grant_type=client_credentials&client_id=" + id,
                "grant_type=client_credentials&client_id=" + id + "&client_secret=" + TEN_KB,
                "grant_type=client_credentials&client_id=" + TEN_KB + "&client_secret=jot_x",
                "grant_type=client_credentials&client_id=a&client_id=b&client_secret=x",
                "grant_type=client_credentials&client_id=a&client_secret=%00",
                "grant_type=client_credentials&client_id=%ZZ&client_secret=x",
                "grant_type=client_credentials&client_id=a&client_secret=b&scope=%07",
                "grant_type=client_credentials&client_id=a&client_secret=b&scope=" + TEN_KB,
                "grant_type=client_credentials&client_id=a&client_secret=b&resource=%00",
                "grant_type=CLIENT_CREDENTIALS&client_id=a&client_secret=b",
                "grant_type=client_credentials&grant_type=password",
                "grant_type=",
                "grant_type=client_credentials&client_id=a&client_secret=b&resource=x&audience=y",
                "%",
                "=",
                "&&&",
                "grant_type=client_credentials&client_id=" + id + "&client_secret=jot_"
                        + "A".repeat(38),
                "grant_type=client_credentials&client_id=a&client_secret=b&scope=a%20%22b")
                .map(f -> new Bad(f.length() > 60 ? f.substring(0, 60) + "..." : f, FORM, f, "")).toList();
    }

    static List<Bad> basicHeaders() {
        return Stream.of("Basic", "Basic ", "Basic !!!", "Basic " + b64("no colon"), "Basic " + b64(":secret"),
                "Basic " + b64("id:"), "Basic " + b64("%ZZ:x"), "Basic " + b64("id:" + TEN_KB.substring(0, 4000)),
                "Bearer x", "Digest x", "basic " + b64("a:b"), "Basic " + b64("a:b") + " extra",
                "Basic " + b64("\u0000:\u0000"), "Basic " + b64("a:b:c"), "Negotiate", "Basic ====",
                "Basic " + "A".repeat(6000), "Basic " + b64("é:é"), "Basic\t" + b64("a:b"), "X")
                .map(h -> new Bad("Authorization: " + (h.length() > 40 ? h.substring(0, 40) + "..." : h), FORM,
                        "grant_type=client_credentials", h)).toList();
    }

    static List<Bad> apiKeyLogins() {
        List<Bad> rows = new ArrayList<>(List.of(
                Bad.json("api_key a number", "{\"api_key\":1}"),
                Bad.json("api_key null", "{\"api_key\":null}"),
                Bad.json("api_key an array", "{\"api_key\":[\"jot_x\"]}"),
                Bad.json("api_key with a username", "{\"api_key\":\"jot_x\",\"username\":\"ada\"}"),
                Bad.json("api_key of 10 KB", "{\"api_key\":\"" + TEN_KB + "\"}"),
                Bad.json("api_key with a NUL", "{\"api_key\":\"jot_\\u0000\"}"),
                Bad.json("api_key empty", "{\"api_key\":\"\"}"),
                Bad.json("api_key and a password", "{\"api_key\":\"jot_x\",\"password\":\"x\"}"),
                Bad.json("api_key repeated", "{\"api_key\":\"a\",\"api_key\":\"b\"}"),
                Bad.json("api_key a look-alike", "{\"api_key\":\"jot_" + "a".repeat(38) + "\"}")));
        for (String header : List.of("", "jot_x", TEN_KB.substring(0, 4000), "jot_" + "a".repeat(38), "\u00e9",
                "Bearer jot_x", " ", "null", "jot_%00", "jot_" + "0".repeat(38))) {
            rows.add(new Bad("X-API-Key: " + (header.length() > 40 ? header.length() + " characters" : header), null,
                    null, header));
        }
        return rows;
    }

    /** A route and its bad requests; {@code who} says whose token is sent. */
    record Route(String method, String path, String who, List<Bad> bad) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Route> routes() {
        return Stream.of(
                new Route("POST", "/api-keys", "user", apiKeyBodies()),
                new Route("GET", "/api-keys", "bearer", badBearers()),
                new Route("DELETE", "/api-keys/", "user", ids()),
                new Route("POST", "/login", "none", apiKeyLogins()),
                new Route("POST", "/oauth2/token", "none", tokenForms()),
                new Route("POST", "/oauth2/token", "basic", basicHeaders()),
                new Route("POST", "/admin/clients", "admin", clientBodies()),
                new Route("GET", "/admin/clients", "bearer", badBearers()),
                new Route("GET", "/admin/clients/", "admin", ids()),
                new Route("DELETE", "/admin/clients/", "admin", ids()),
                new Route("POST", "/admin/clients/{client}/secrets", "admin", secretBodies()),
                new Route("DELETE", "/admin/clients/{client}/secrets/", "admin", ids()),
                new Route("GET", "/admin/users", "admin", pageQueries("q")),
                new Route("POST", "/admin/users", "admin", userBodies()),
                new Route("GET", "/admin/users/", "admin", ids()),
                new Route("PATCH", "/admin/users/{user}", "admin", patchBodies()),
                new Route("PATCH", "/admin/users/", "admin", ids()),
                new Route("DELETE", "/admin/users/", "admin", ids()),
                new Route("GET", "/admin/sessions", "admin", pageQueries("user_id")),
                new Route("DELETE", "/admin/sessions/", "admin", ids()),
                new Route("GET", "/admin/audit", "admin", auditQueries()),
                new Route("POST", "/admin/keys/rotate", "admin", secretBodies()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void everyBadRequestIsA4xxWithAStableCode(Route route) {
        assertThat(route.bad()).as("the table of " + route).hasSizeGreaterThanOrEqualTo(20);
        String path = route.path().replace("{client}", (String) client.get("client_id")).replace("{user}", userId);
        for (Bad bad : route.bad()) {
            HttpResponse<String> r = send(route, path, bad);
            String what = route + ": " + bad + " -> " + r.statusCode() + " " + r.body();
            assertThat(r.statusCode()).as(what).isBetween(400, 499);
            assertThat(r.body()).as(what).startsWith("{");
            Map<String, Object> body = Json.parseObject(r.body());
            Object code = body.containsKey("code") ? body.get("code") : body.get("error");
            assertThat(code).as(what).isInstanceOf(String.class);
            assertThat((String) code).as(what).matches("[a-z]+(_[a-z]+)*");
        }
        assertThat(api.http.getAs(admin, "/admin/users").statusCode()).as("the server is well").isEqualTo(200);
    }

    private HttpResponse<String> send(Route route, String path, Bad bad) {
        String token = switch (route.who()) {
            case "user" -> user;
            case "admin" -> admin;
            default -> null;
        };
        if (route.who().equals("basic") || route.who().equals("bearer")) {
            return http.raw(null, route.method(), path, bad.contentType(), bad.body(), "Authorization", bad.query());
        }
        if (route.path().equals("/login") && bad.body() == null) {
            return http.raw(null, "POST", path, null, null, "X-API-Key", bad.query());
        }
        if (path.endsWith("/")) {
            return http.raw(token, route.method(), path + bad.query(), null, null);
        }
        String query = bad.query().isEmpty() ? "" : "?" + bad.query();
        return http.raw(token, route.method(), path + query, bad.contentType(), bad.body());
    }
}
