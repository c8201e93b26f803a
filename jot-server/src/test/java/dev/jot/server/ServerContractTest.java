package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Json;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.Jwks;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server's HTTP contract, run against every supported database by the subclasses. */
abstract class ServerContractTest {
    @TempDir
    Path dataDir;
    ServerConfig config;
    JotServer server;
    Http http;

    /** The database part of the configuration for one test (a fresh database or schema). */
    abstract ServerConfig.Builder withDatabase(ServerConfig.Builder base);

    @BeforeEach
    void start() {
        config = withDatabase(TestConfigs.base(dataDir)).build();
        server = JotServer.start(config);
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Http.disconnect(server.baseUrl());
            server.close();
        }
        dropDatabase();
    }

    /** Removes what {@link #withDatabase} created, after the server has stopped. */
    void dropDatabase() {
    }

    static String creds(String user, String password) {
        return Json.write(Map.of("username", user, "password", password));
    }

    Map<String, Object> json(HttpResponse<String> r) {
        return Json.parseObject(r.body());
    }

    String login(String user, String password) {
        HttpResponse<String> r = http.postJson("/login", creds(user, password));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) json(r).get("access_token");
    }

    JwtVerifier verifierFromServerJwks() {
        HttpResponse<String> r = http.get("/.well-known/jwks.json");
        assertThat(r.statusCode()).isEqualTo(200);
        return JwtVerifier.builder().keys(Jwks.parse(r.body())).algorithms(Algorithm.RS256)
                .issuer(TestConfigs.ISSUER).audience(TestConfigs.ISSUER).type("at+jwt").build();
    }

    static List<String> kids(String jwks) {
        return Jwks.parse(jwks).keys().stream().map(dev.jot.jwt.Jwk::kid).toList();
    }

    long userCount() {
        return server.services().users().count();
    }

    @Test
    void newcomerRegistersLogsInAndGetsATokenThatVerifiesAgainstTheJwks() {
        HttpResponse<String> reg = http.postJson("/register", creds("Ada", "correct horse battery"));
        assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
        Map<String, Object> user = json(reg);
        assertThat(user).containsEntry("username", "Ada").containsKeys("id", "created_at");

        HttpResponse<String> r = http.postJson("/login", creds("ada", "correct horse battery"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(json(r)).containsEntry("token_type", "Bearer").containsEntry("expires_in", 900L);

        Claims claims = verifierFromServerJwks().verify((String) json(r).get("access_token")).claims();
        assertThat(claims.subject()).hasValue((String) user.get("id"));
        assertThat(claims.getString("preferred_username")).hasValue("Ada");
        assertThat(claims.getString("client_id")).hasValue("jot");
        assertThat(claims.has("scope")).isTrue();
        assertThat(claims.has("roles")).isTrue();
        assertThat(claims.jwtId()).isPresent();
        assertThat(claims.expiresAt().orElseThrow()).isAfter(claims.issuedAt().orElseThrow());
    }

    @Test
    void meAnswersTheCallersProfileForAValidBearerToken() {
        http.postJson("/register", creds("ada", "correct horse battery"));
        String token = login("ada", "correct horse battery");

        HttpResponse<String> r = http.get("/me", "Authorization", "Bearer " + token);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> me = json(r);
        assertThat(me.get("username")).isEqualTo("ada");
        assertThat(me.get("id")).isEqualTo(verifierFromServerJwks().verify(token).claims().subject().orElseThrow());
        assertThat(me).containsKeys("roles", "created_at");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void aValidTokenOfADisabledAccountIsRefusedByMe() {
        http.postJson("/register", creds("ada", "correct horse battery"));
        String token = login("ada", "correct horse battery");
        server.services().database().jdbi().useHandle(h -> h.execute("UPDATE users SET disabled = TRUE"));

        HttpResponse<String> r = http.get("/me", "Authorization", "Bearer " + token);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("code")).isEqualTo("token_invalid");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .isEqualTo("Bearer realm=\"jot\", error=\"invalid_token\", "
                        + "error_description=\"The account of this token is no longer active\"");
    }

    @Test
    void meWithoutATokenIsTokenMissingWithABareChallenge() {
        HttpResponse<String> r = http.get("/me");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("code")).isEqualTo("token_missing");
        // RFC 6750 §3.1: no error attribute when the request carried no credentials.
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"jot\"");
    }

    static List<MeContract.Case> hostileTokens() {
        return MeContract.cases();
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("hostileTokens")
    void meRefusesTokensThatAreForgedExpiredOrMeantForSomeoneElse(MeContract.Case c) {
        http.postJson("/register", creds("ada", "correct horse battery"));
        String genuine = login("ada", "correct horse battery");
        String subject = verifierFromServerJwks().verify(genuine).claims().subject().orElseThrow();
        MeContract.Minting m = new MeContract.Minting(genuine, server.services().keys().signer(),
                TestConfigs.ISSUER, TestConfigs.ISSUER, subject);

        HttpResponse<String> r = http.get("/me", "Authorization", "Bearer " + c.token().apply(m));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(json(r).get("code")).isEqualTo(c.code());
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"jot\"").contains("error=\"invalid_token\"");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.jot");
    }

    @Test
    void aMalformedAuthorizationHeaderIsABadRequestNotAServerError() {
        HttpResponse<String> r = http.get("/me", "Authorization", "Bearer  two spaces");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("code")).isEqualTo("invalid_request");
    }

    @Test
    void loginAcceptsJsonFormAndBasicCredentials() {
        http.postJson("/register", creds("grace", "hopper-cobol-1959"));
        String form = "username=grace&password=hopper-cobol-1959";
        HttpResponse<String> viaForm = http.post("/login", "application/x-www-form-urlencoded", form);
        String basic = Base64.getEncoder().encodeToString("grace:hopper-cobol-1959".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> viaBasic = http.postWithHeader("/login", "Authorization", "Basic " + basic);
        JwtVerifier v = verifierFromServerJwks();
        for (String token : List.of(login("grace", "hopper-cobol-1959"), (String) json(viaForm).get("access_token"),
                (String) json(viaBasic).get("access_token"))) {
            assertThat(v.verify(token).claims().getString("preferred_username")).hasValue("grace");
        }
    }

    @Test
    void wrongPasswordAndUnknownUserGiveByteIdenticalAnswers() {
        http.postJson("/register", creds("linus", "penguins-are-great"));
        HttpResponse<String> wrong = http.postJson("/login", creds("linus", "penguins-are-bad!"));
        HttpResponse<String> unknown = http.postJson("/login", creds("nobody", "penguins-are-bad!"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(json(wrong)).containsEntry("code", "invalid_credentials");
        assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // A JSON login is not challenged with Basic: a browser would pop its login box (issue 10, item 5).
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void fiftyConcurrentRegistrationsOfOneNameYieldExactlyOneAccount() throws Exception {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> http.postJson("/register", creds("racer", "same-password-" + 1)).statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(49);
        assertThat(userCount()).isEqualTo(1);
    }

    static List<Arguments> badInputs() {
        String valid = creds("valid-user", "a-fine-password");
        return List.of(
                Arguments.of("malformed JSON", "/register", "application/json", "{\"username\": ", 400, "invalid_request"),
                Arguments.of("duplicate member", "/register", "application/json",
                        "{\"username\":\"a-user\",\"username\":\"b-user\",\"password\":\"a-fine-password\"}", 400, "invalid_request"),
                Arguments.of("JSON array", "/register", "application/json", "[1,2]", 400, "invalid_request"),
                Arguments.of("wrong content type", "/register", "text/plain", valid, 415, "unsupported_media_type"),
                Arguments.of("no content type", "/login", null, valid, 415, "unsupported_media_type"),
                Arguments.of("missing password", "/register", "application/json", "{\"username\":\"someone\"}", 400, "invalid_request"),
                Arguments.of("missing fields on login", "/login", "application/json", "{}", 400, "invalid_request"),
                Arguments.of("number as username", "/register", "application/json",
                        "{\"username\":42,\"password\":\"a-fine-password\"}", 400, "invalid_request"),
                Arguments.of("object as password", "/login", "application/json",
                        "{\"username\":\"someone\",\"password\":{}}", 400, "invalid_request"),
                Arguments.of("1 MB body", "/register", "application/json",
                        "{\"username\":\"" + "x".repeat(1024 * 1024) + "\",\"password\":\"a-fine-password\"}", 413, "payload_too_large"),
                Arguments.of("10 KB username", "/register", "application/json",
                        creds("u".repeat(10 * 1024), "a-fine-password"), 400, "invalid_username"),
                Arguments.of("control characters", "/register", "application/json",
                        creds("evil\u0000\u001b[31m", "a-fine-password"), 400, "invalid_username"),
                Arguments.of("SQL metacharacters", "/register", "application/json",
                        creds("x'; DROP TABLE users;--", "a-fine-password"), 400, "invalid_username"),
                Arguments.of("short password", "/register", "application/json", creds("someone", "short"), 400, "invalid_password"),
                Arguments.of("password equals username", "/register", "application/json",
                        creds("someone-long", "Someone-Long"), 400, "invalid_password"),
                Arguments.of("bad form encoding", "/login", "application/x-www-form-urlencoded", "username=%zz", 400, "invalid_request"),
                Arguments.of("bad Basic", "/login", null, "", 0, null));
    }

    @ParameterizedTest(name = "{0} → {4} {5}")
    @MethodSource("badInputs")
    void badInputGetsItsOwn4xxCodeAndLeavesTheUsersTableClean(String what, String path, String type, String body,
                                                             int status, String code) {
        if (code == null) {
            HttpResponse<String> r = http.postWithHeader(path, "Authorization", "Basic !!!not-base64");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r)).containsEntry("code", "invalid_request");
            return;
        }
        HttpResponse<String> r = http.post(path, type, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(r)).containsEntry("code", code).containsEntry("status", (long) status);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(userCount()).isZero();
    }

    @Test
    void unknownRoutesAndMethodsAreProblemsToo() {
        HttpResponse<String> r = http.get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r)).containsEntry("code", "not_found");
    }

    @Test
    void restartKeepsUsersAndTheSigningKey() {
        http.postJson("/register", creds("persistent", "survives-restarts"));
        String before = login("persistent", "survives-restarts");
        String jwksBefore = http.get("/.well-known/jwks.json").body();
        server.close();
        server = JotServer.start(config);
        http = new Http("http://127.0.0.1:" + server.port());
        // Still published (the next signing key may have joined them since: it is made after the start).
        assertThat(kids(http.get("/.well-known/jwks.json").body())).containsAll(kids(jwksBefore));
        JwtVerifier v = verifierFromServerJwks();
        assertThat(v.verify(before).claims().getString("preferred_username")).hasValue("persistent");
        assertThat(v.verify(login("persistent", "survives-restarts")).header().kid())
                .isEqualTo(v.verify(before).header().kid());
    }

    @Test
    void registerAndLoginsAreAudited() {
        String id = (String) json(http.postJson("/register", creds("audited", "watch-me-login"))).get("id");
        login("audited", "watch-me-login");
        http.postJson("/login", creds("audited", "not-my-password"));
        List<AuditEvent> events = server.services().audit().repository().recent(10);
        assertThat(events).extracting(AuditEvent::event)
                .containsExactly(AuditEvent.LOGIN_FAILURE, AuditEvent.LOGIN_SUCCESS, AuditEvent.REGISTER);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.userId()).isEqualTo(id);
            assertThat(e.clientAddress()).isEqualTo("127.0.0.1");
            assertThat(e.at()).isNotNull();
        });
    }

    @Test
    void metadataAndHealthDescribeTheServer() {
        HttpResponse<String> meta = http.get("/.well-known/openid-configuration");
        assertThat(json(meta)).containsEntry("issuer", TestConfigs.ISSUER)
                .containsEntry("jwks_uri", TestConfigs.ISSUER + "/.well-known/jwks.json");
        HttpResponse<String> health = http.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health)).containsEntry("status", "up");
        Jwks jwks = Jwks.parse(http.get("/.well-known/jwks.json").body());
        // The active key, and the next one once key maintenance has run (it starts as the server listens, so a
        // loaded machine may or may not have published it yet): all public.
        assertThat(jwks.keys()).hasSizeBetween(1, 2).allSatisfy(k -> {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.kid()).isNotBlank();
        });
        assertThat(jwks.keys()).extracting(dev.jot.jwt.Jwk::kid).contains(server.services().keys().ring().activeKid());
    }

    @Test
    void whenTheDatabaseGoesAwayRequestsGet503AndReadySaysNotReadyWhileHealthSaysAlive() {
        http.postJson("/register", creds("ada", "correct horse battery"));
        server.services().database().close(); // the pool is gone: every statement now fails to get a connection

        for (HttpResponse<String> r : List.of(http.postJson("/login", creds("ada", "correct horse battery")),
                http.postJson("/register", creds("bob", "correct horse battery")),
                http.postJson("/refresh", "{\"refresh_token\":\"abc\"}"))) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(json(r)).containsEntry("code", "database_unavailable");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.body()).doesNotContain("Exception");
        }
        assertThat(http.get("/ready").statusCode()).isEqualTo(503);
        assertThat(http.get("/health").statusCode()).as("the process is alive").isEqualTo(200);
    }
}
