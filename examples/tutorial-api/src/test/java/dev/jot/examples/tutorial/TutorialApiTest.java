package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.TokenSource;
import dev.jot.jwt.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tutorial API against a real Jot server, both on random ports, on H2 and PostgreSQL: every route for every
 * kind of caller, every token source, and the bad input of {@code /root}.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TutorialApiTest {

    /** Who calls: the token each sends (none, a forged one, an expired one, a user's, an admin's). */
    enum Caller { NOBODY, FORGER, EXPIRED, USER, ADMIN }

    @Parameter
    String databaseKind;

    Path dataDir;
    Jot jot;
    TutorialApi api;
    TutorialApi everySource;
    Http http;
    Map<Caller, String> tokens;

    @BeforeParameterizedClassInvocation
    void start() throws IOException {
        dataDir = Files.createTempDirectory("tutorial-api-test");
        jot = new Jot(databaseKind, dataDir);
        api = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0));
        everySource = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0).withSources(List.of(
                TokenSource.bearer(), TokenSource.bareAuthorization(), TokenSource.header("TOKEN"),
                TokenSource.queryParameter("token"), TokenSource.jsonBodyField("token"))));
        http = new Http(api.baseUrl());
        String user = jot.accessToken("ada");
        tokens = new java.util.EnumMap<>(Caller.class);
        tokens.put(Caller.FORGER, Jot.forged(user));
        tokens.put(Caller.EXPIRED, jot.expiredToken("ada"));
        tokens.put(Caller.USER, user);
        tokens.put(Caller.ADMIN, jot.accessToken("root"));
    }

    @AfterParameterizedClassInvocation
    void stop() throws IOException {
        everySource.close();
        api.close();
        jot.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- every route × every caller ----

    /** What a caller gets: a status, and the problem's code when refused. */
    record Outcome(int status, String code) {
        static final Outcome OK = new Outcome(200, null);
        static final Outcome MISSING = new Outcome(401, "token_missing");
        static final Outcome INVALID = new Outcome(401, "token_invalid");
        static final Outcome EXPIRED = new Outcome(401, "token_expired");
        static final Outcome FORBIDDEN = new Outcome(403, "insufficient_scope");
    }

    Stream<Arguments> routesAndCallers() {
        Map<String, List<Outcome>> table = new java.util.LinkedHashMap<>();
        //                                  NOBODY           FORGER          EXPIRED          USER              ADMIN
        table.put("/public", List.of(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK));
        table.put("/private", List.of(Outcome.MISSING, Outcome.INVALID, Outcome.EXPIRED, Outcome.OK, Outcome.OK));
        table.put("/secret", List.of(Outcome.MISSING, Outcome.INVALID, Outcome.EXPIRED, Outcome.FORBIDDEN, Outcome.OK));
        table.put("/admin", List.of(Outcome.MISSING, Outcome.INVALID, Outcome.EXPIRED, Outcome.FORBIDDEN, Outcome.OK));
        table.put("/root?number=27&n=3", List.of(Outcome.MISSING, Outcome.INVALID, Outcome.EXPIRED, Outcome.OK, Outcome.OK));
        List<Arguments> cases = new ArrayList<>();
        for (String method : List.of("GET", "POST")) {
            table.forEach((route, outcomes) -> {
                for (Caller c : Caller.values()) {
                    cases.add(arguments(method, route, c, outcomes.get(c.ordinal())));
                }
            });
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}: {3}")
    @MethodSource("routesAndCallers")
    void eachRouteAnswersEachCallerExactly(String method, String route, Caller caller, Outcome expected) {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + route))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        if (caller != Caller.NOBODY) {
            b.header("Authorization", "Bearer " + tokens.get(caller));
        }
        HttpResponse<String> r = Http.send(b);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected.status());
        Map<String, Object> body = Json.parseObject(r.body());
        if (expected.code() == null) {
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            if (!route.equals("/public")) {
                if (route.startsWith("/root")) {
                    assertThat(((Number) body.get("root")).doubleValue()).isEqualTo(3.0);
                } else {
                    assertThat(body).containsEntry("preferred_username", caller == Caller.ADMIN ? "root" : "ada");
                }
            }
        } else {
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(body).containsEntry("code", expected.code()).containsEntry("status", (long) expected.status());
            String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).startsWith("Bearer realm=\"jot\"");
            if (expected.status() == 403) {
                assertThat(challenge).contains("error=\"insufficient_scope\"");
            } else if (caller != Caller.NOBODY) {
                assertThat(challenge).contains("error=\"invalid_token\"");
            } else {
                assertThat(challenge).doesNotContain("error="); // RFC 6750 §3.1: no error for a request without one
            }
        }
    }

    @Test
    void theSecretNamesBothWaysInWhenItRefuses() {
        HttpResponse<String> r = http.getAs(tokens.get(Caller.USER), "/secret");

        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"jot\", error=\"insufficient_scope\", scope=\"secret:read admin\"");
    }

    @Test
    void anUnknownRouteIsANotFoundProblemWhateverTheToken() {
        for (String token : new String[] {null, tokens.get(Caller.FORGER), tokens.get(Caller.USER)}) {
            HttpResponse<String> r = http.getAs(token, "/nothing-here");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(Json.parseObject(r.body())).containsEntry("code", "not_found");
        }
        HttpResponse<String> r = http.send("DELETE", "/private");
        assertThat(r.statusCode()).isIn(404, 405);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    // ---- token sources ----

    /** How a request carries the token, and what the API that reads every source answers. */
    Stream<Arguments> tokenSources() {
        String t = tokens.get(Caller.USER);
        return Stream.of(
                arguments("Authorization: Bearer", request("/private", "Authorization", "Bearer " + t), 200, null),
                arguments("a bare token in Authorization", request("/private", "Authorization", t), 200, null),
                arguments("a TOKEN header", request("/private", "TOKEN", t), 200, null),
                arguments("?token= in the query", request("/private?token=" + t), 200, null),
                arguments("{\"token\": ...} in a JSON body", body("/private", "{\"token\":\"" + t + "\"}"), 200, null),
                arguments("a forged token in the query", request("/private?token=" + tokens.get(Caller.FORGER)), 401,
                        "token_invalid"),
                arguments("an expired token in a TOKEN header", request("/private", "TOKEN", tokens.get(Caller.EXPIRED)),
                        401, "token_expired"),
                arguments("a user's token in the body for /admin", body("/admin", "{\"token\":\"" + t + "\"}"), 403,
                        "insufficient_scope"),
                arguments("an admin's token in the body for /admin",
                        body("/admin", "{\"token\":\"" + tokens.get(Caller.ADMIN) + "\"}"), 200, null),
                arguments("two sources at once (RFC 6750 §2)", request("/private?token=" + t, "TOKEN", t), 400,
                        "invalid_request"),
                arguments("a body token that is not a string", body("/private", "{\"token\":42}"), 400,
                        "invalid_request"),
                arguments("a JSON body without a token", body("/private", "{\"other\":1}"), 401, "token_missing"),
                arguments("a Basic credential", request("/private", "Authorization", "Basic YWRhOnB3"), 401,
                        "token_missing"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("tokenSources")
    void everyTokenSourceOfTheTutorialsWorksWhenConfigured(String name, RequestSpec spec, int status, String code) {
        HttpResponse<String> r = spec.sendTo(everySource.baseUrl());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        if (code != null) {
            assertThat(Json.parseObject(r.body())).containsEntry("code", code);
        } else {
            assertThat(Json.parseObject(r.body())).containsEntry("preferred_username",
                    name.contains("admin") ? "root" : "ada");
        }
    }

    Stream<Arguments> sourcesNotConfigured() {
        String t = tokens.get(Caller.USER);
        return Stream.of(
                arguments("a bare token in Authorization", request("/private", "Authorization", t)),
                arguments("a TOKEN header", request("/private", "TOKEN", t)),
                arguments("?token= in the query", request("/private?token=" + t)),
                arguments("{\"token\": ...} in a JSON body", body("/private", "{\"token\":\"" + t + "\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sourcesNotConfigured")
    void byDefaultOnlyTheBearerHeaderIsRead(String name, RequestSpec spec) {
        HttpResponse<String> r = spec.sendTo(api.baseUrl());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Json.parseObject(r.body())).containsEntry("code", "token_missing");
    }

    /** A request to send to one of the APIs. */
    record RequestSpec(String path, String body, String[] headers) {
        HttpResponse<String> sendTo(String base) {
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path));
            if (headers.length > 0) {
                b.headers(headers);
            }
            if (body != null) {
                b.header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
            }
            return Http.send(b);
        }

        @Override
        public String toString() {
            return (body == null ? "GET " : "POST ") + path.replaceAll("token=[^&]*", "token=…");
        }
    }

    private static RequestSpec request(String path, String... headers) {
        return new RequestSpec(path, null, headers);
    }

    private static RequestSpec body(String path, String json) {
        return new RequestSpec(path, json, new String[0]);
    }

    // ---- /root ----

    static Stream<Arguments> badRoots() {
        return Stream.of(
                arguments("", "parameter_missing"),
                arguments("number=27", "parameter_missing"),
                arguments("n=3", "parameter_missing"),
                arguments("number=&n=3", "parameter_missing"),
                arguments("number=27&n=", "parameter_missing"),
                arguments("number=27&number=8&n=3", "parameter_repeated"),
                arguments("number=27&n=3&n=2", "parameter_repeated"),
                arguments("number=abc&n=3", "not_a_number"),
                arguments("number=NaN&n=2", "not_a_number"),
                arguments("number=Infinity&n=2", "not_a_number"),
                arguments("number=-Infinity&n=3", "not_a_number"),
                arguments("number=0x10&n=2", "not_a_number"),
                arguments("number=1_000&n=2", "not_a_number"),
                arguments("number=%201&n=2", "not_a_number"),
                arguments("number=1e&n=2", "not_a_number"),
                arguments("number=%D9%A1&n=2", "not_a_number"), // an Arabic-Indic digit one
                arguments("number=1e999&n=2", "out_of_range"),
                arguments("number=-1e999&n=3", "out_of_range"),
                arguments("number=" + "9".repeat(65) + "&n=2", "out_of_range"),
                arguments("number=" + "9".repeat(5000) + "&n=2", "out_of_range"),
                arguments("number=27&n=0", "zero_root"),
                arguments("number=27&n=-0", "zero_root"),
                arguments("number=27&n=1.5", "not_an_integer"),
                arguments("number=27&n=three", "not_an_integer"),
                arguments("number=27&n=NaN", "not_an_integer"),
                arguments("number=27&n=1001", "out_of_range"),
                arguments("number=27&n=-1001", "out_of_range"),
                arguments("number=27&n=99999999999999999999", "out_of_range"),
                arguments("number=27&n=" + "9".repeat(5000), "out_of_range"),
                arguments("number=-16&n=2", "even_root_of_negative"),
                arguments("number=-16&n=-4", "even_root_of_negative"),
                arguments("number=0&n=-2", "undefined_root"),
                arguments("number=4.9e-324&n=-1", "out_of_range"));
    }

    @ParameterizedTest(name = "/root?{0}: {1}")
    @MethodSource("badRoots")
    void badInputToRootIsA400ProblemWithAStableCode(String query, String code) {
        HttpResponse<String> r = http.getAs(tokens.get(Caller.USER), "/root?" + query);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.parseObject(r.body())).containsEntry("code", code).containsEntry("status", 400L)
                .containsKey("detail");
        assertThat(r.body()).doesNotContain("99999").doesNotContain("abc"); // the detail never echoes the input
    }

    static Stream<Arguments> goodRoots() {
        return Stream.of(
                arguments("number=27&n=3", 3.0),
                arguments("number=-27&n=3", -3.0),
                arguments("number=16&n=4", 2.0),
                arguments("number=1024&n=10", 2.0),
                arguments("number=2&n=2", Math.sqrt(2)),
                arguments("number=4&n=-2", 0.5),
                arguments("number=8&n=1", 8.0),
                arguments("number=0&n=5", 0.0),
                arguments("number=-0&n=3", 0.0),
                arguments("number=%2B9&n=2", 3.0),
                arguments("number=1e300&n=2", 1e150),
                arguments("number=.25&n=2", 0.5),
                arguments("number=-32&n=-5", -0.5));
    }

    @ParameterizedTest(name = "/root?{0} = {1}")
    @MethodSource("goodRoots")
    void rootAnswersTheRealRoot(String query, double root) {
        HttpResponse<String> r = http.getAs(tokens.get(Caller.USER), "/root?" + query);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(((Number) Json.parseObject(r.body()).get("root")).doubleValue()).isEqualTo(root);
    }
}
