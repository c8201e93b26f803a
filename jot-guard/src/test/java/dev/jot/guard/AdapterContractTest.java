package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.jwt.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every adapter promises, run against each one as a real server on a random port, over HTTP. The
 * application behind it has {@code /health}, {@code /orders} (GET and POST), {@code /admin/users} and {@code /me};
 * every handler answers {@code {"sub": <who the adapter let in, or null>, "body": <the body it read>}}.
 */
abstract class AdapterContractTest {

    static final List<AccessRule> RULES = List.of(
            AccessRule.path("/health", Access.publicAccess()),
            AccessRule.path("GET", "/orders/*", Access.scopes("orders:read")),
            AccessRule.path("/orders/*", Access.anyScope("orders:write", "orders:admin")),
            AccessRule.path("/admin/*", Access.role("admin")));

    final Tokens tokens = new Tokens();
    final Guard guard = tokens.guard().sources(TokenSource.bearer(), TokenSource.jsonBodyField("access_token")).build();
    String base;

    /** Starts the application behind the adapter; returns its base URL (without a trailing slash). */
    abstract String start(Guard guard, List<AccessRule> rules) throws Exception;

    abstract void stop() throws Exception;

    @BeforeEach
    void startServer() throws Exception {
        base = start(guard, RULES);
    }

    @AfterEach
    void stopServer() throws Exception {
        stop();
    }

    /** The JSON every test handler answers. */
    static String echo(String sub, String body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sub", sub);
        m.put("body", body);
        return Json.write(m);
    }

    static Stream<Arguments> requests() {
        Function<Tokens, String> none = t -> null;
        Function<Tokens, String> plain = t -> t.valid("ada");
        Function<Tokens, String> reader = t -> t.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "orders:read"));
        Function<Tokens, String> writer = t -> t.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "profile orders:write"));
        Function<Tokens, String> admin = t -> t.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("roles", List.of("admin")));
        Function<Tokens, String> adminScope = t -> t.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "admin"));
        Function<Tokens, String> expired = t -> t.sign(Tokens.TRUSTED, c -> c.issuedAt(Tokens.T0.minus(Duration.ofHours(1)))
                .expiresAt(Tokens.T0.minusSeconds(61)));
        Function<Tokens, String> forged = t -> Tokens.forge(t.valid("ada"));
        return Stream.of(
                arguments("GET", "/health", "no token", none, 200, null),
                arguments("GET", "/health/", "no token", none, 200, null),
                arguments("GET", "/orders", "no token", none, 401, "token_missing"),
                arguments("GET", "/orders", "the scope", reader, 200, null),
                arguments("GET", "/orders", "no scope", plain, 403, "insufficient_scope"),
                arguments("GET", "/orders", "an expired token", expired, 401, "token_expired"),
                arguments("GET", "/orders", "a forged token", forged, 401, "token_invalid"),
                arguments("POST", "/orders", "one of the scopes", writer, 200, null),
                arguments("POST", "/orders", "only the read scope", reader, 403, "insufficient_scope"),
                arguments("GET", "/admin/users", "the role", admin, 200, null),
                arguments("GET", "/admin/users", "no role", reader, 403, "insufficient_scope"),
                arguments("GET", "/admin/users", "the role's name as a scope", adminScope, 403, "insufficient_scope"),
                arguments("GET", "/me", "any valid token", plain, 200, null),
                arguments("GET", "/me", "no token", none, 401, "token_missing"));
    }

    @ParameterizedTest(name = "{0} {1} with {2}: {4} {5}")
    @MethodSource("requests")
    void eachRequestGetsWhatItsRuleSays(String method, String path, String what, Function<Tokens, String> token,
                                        int status, String code) throws Exception {
        String t = token.apply(tokens);
        String[] auth = t == null ? new String[0] : new String[] {"Authorization", Http.bearer(t)};
        Http.Reply r = method.equals("GET") ? Http.get(base + path, auth)
                : Http.post(base + path, "text/plain", "hello".getBytes(StandardCharsets.UTF_8), auth);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        if (code == null) {
            assertThat(r.json().get("sub")).isEqualTo(t == null ? null : "ada");
        } else {
            assertThat(r.json().get("code")).isEqualTo(code);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"jot\"");
        }
    }

    @Test
    void aRefusalIsAProblemDocumentWithTheExactChallengeAndNoCaching() throws Exception {
        Http.Reply r = Http.get(base + "/orders", "Authorization", Http.bearer(tokens.valid("ada")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"jot\", error=\"insufficient_scope\", scope=\"orders:read\"");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.json()).containsExactly(Map.entry("title", "Forbidden"), Map.entry("status", 403L),
                Map.entry("code", "insufficient_scope"), Map.entry("detail", "The access token lacks a required scope"));
    }

    @Test
    void aMalformedAuthorizationHeaderIs400InvalidRequestAndNotEchoed() throws Exception {
        Http.Reply r = Http.get(base + "/orders", "Authorization", "Bearer <evil>");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("code", "invalid_request").containsEntry("title", "Bad Request");
        assertThat(r.body() + r.header("WWW-Authenticate")).doesNotContain("evil");
    }

    @Test
    void aTokenInTheJsonBodyIsFoundAndTheApplicationReadsTheSameBody() throws Exception {
        String writer = tokens.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "orders:write"));
        String body = "{\"access_token\":\"" + writer + "\",\"item\":\"tea\"}";
        for (boolean chunked : new boolean[] {false, true}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Http.Reply r = chunked ? Http.postChunked(base + "/orders", "application/json", bytes)
                    : Http.post(base + "/orders", "application/json", bytes);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json()).as("chunked: " + chunked).isEqualTo(Json.parseObject(echo("ada", body)));
        }
    }

    @Test
    void aJsonBodyOverTheCapIs400WhetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] big = ("{\"item\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        String writer = tokens.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "orders:write"));
        for (boolean chunked : new boolean[] {false, true}) {
            Http.Reply r = chunked ? Http.postChunked(base + "/orders", "application/json", big, "Authorization", Http.bearer(writer))
                    : Http.post(base + "/orders", "application/json", big, "Authorization", Http.bearer(writer));
            assertThat(r.status()).as("chunked: " + chunked).isEqualTo(400);
            assertThat(r.json()).containsEntry("detail", TokenExtractor.BODY_TOO_LARGE);
        }
    }

    @Test
    void aBodyTheGuardDoesNotNeedReachesTheApplicationWhole() throws Exception {
        String writer = tokens.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "orders:write"));
        String text = "plain text ".repeat(10_000);
        Http.Reply r = Http.post(base + "/orders", "text/plain", text.getBytes(StandardCharsets.UTF_8),
                "Authorization", Http.bearer(writer));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("body")).isEqualTo(text);
    }
}
