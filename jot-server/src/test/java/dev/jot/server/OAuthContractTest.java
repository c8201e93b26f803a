package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The OAuth 2.0 endpoints (RFC 6749 token, RFC 7009 revoke, RFC 7662 introspect) on H2 and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class OAuthContractTest {
    static final String PASSWORD = "correct horse battery";

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    JotServer server;
    Http http;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir)).build());
        http = new Http("http://127.0.0.1:" + server.port());
        http.postJson("/register", Json.write(Map.of("username", "ada", "password", PASSWORD)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Http.disconnect(server.baseUrl());
            server.close();
        }
        database.close();
    }

    static String form(String... pairs) {
        return Stream.iterate(0, i -> i < pairs.length, i -> i + 2)
                .map(i -> enc(pairs[i]) + "=" + enc(pairs[i + 1]))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    Map<String, Object> passwordGrant() {
        HttpResponse<String> r = http.postForm("/oauth2/token", form("grant_type", "password", "username", "ada", "password", PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    String adminToken() {
        server.services().accounts().grantRole("ada", "admin");
        return (String) passwordGrant().get("access_token");
    }

    static Object error(HttpResponse<String> r) {
        return Json.parseObject(r.body()).get("error");
    }

    @Test
    void thePasswordGrantAnswersTheRfc6749TokenResponse() {
        HttpResponse<String> r = http.postForm("/oauth2/token", form("grant_type", "password", "username", "ada", "password", PASSWORD));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> body = Json.parseObject(r.body());
        assertThat(body).containsKeys("access_token", "refresh_token").containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 900L).containsEntry("scope", "profile");
        assertThat(http.getAs((String) body.get("access_token"), "/me").statusCode()).isEqualTo(200);
    }

    @Test
    void anEmptyClientIdIsAsIfOmitted() {
        HttpResponse<String> r = http.postForm("/oauth2/token", form("grant_type", "password", "username", "ada", "password", PASSWORD, "client_id", ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void theRefreshGrantRotates() {
        Map<String, Object> first = passwordGrant();
        HttpResponse<String> r = http.postForm("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", (String) first.get("refresh_token")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parseObject(r.body()).get("refresh_token")).isNotEqualTo(first.get("refresh_token"));
    }

    static Stream<String[]> tokenErrors() {
        return Stream.of(
                new String[] {form("grant_type", "password", "username", "ada", "password", "wrong password"), "400", "invalid_grant"},
                new String[] {form("grant_type", "password", "username", "nobody", "password", PASSWORD), "400", "invalid_grant"},
                new String[] {form("grant_type", "refresh_token", "refresh_token", "not-a-token"), "400", "invalid_grant"},
                new String[] {form("grant_type", "client_credentials"), "400", "invalid_client"},
                new String[] {form("grant_type", "implicit"), "400", "unsupported_grant_type"},
                new String[] {form("grant_type", "password", "username", "ada", "password", PASSWORD, "resource",
                        "https://elsewhere.example"), "400", "invalid_target"},
                new String[] {form("username", "ada", "password", PASSWORD), "400", "invalid_request"},
                new String[] {form("grant_type", "password", "username", "ada"), "400", "invalid_request"},
                new String[] {form("grant_type", "password", "grant_type", "refresh_token"), "400", "invalid_request"},
                new String[] {form("grant_type", "password", "username", "ada", "password", PASSWORD, "scope", "admin"), "400", "invalid_scope"},
                new String[] {form("grant_type", "password", "username", "ada", "password", PASSWORD, "client_id", "evil"), "400", "invalid_client"},
                new String[] {"%zz=1", "400", "invalid_request"});
    }

    @Test
    void tokenRequestErrorsUseTheRfc6749Shape() {
        for (String[] c : tokenErrors().toList()) {
            HttpResponse<String> r = http.postForm("/oauth2/token", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(error(r)).as(c[0]).isEqualTo(c[2]);
            assertThat(Json.parseObject(r.body())).as(c[0]).containsKey("error_description");
        }
        HttpResponse<String> json = http.postJson("/oauth2/token", "{\"grant_type\":\"password\"}");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(error(json)).isEqualTo("invalid_request");
    }

    @Test
    void aHugeFormIs413InTheRfc6749Shape() {
        HttpResponse<String> r = http.postForm("/oauth2/token", form("grant_type", "password", "username", "x".repeat(70_000)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).isEqualTo("invalid_request");
    }

    @Test
    void introspectionWithoutATokenParameterIsInvalidRequest() {
        HttpResponse<String> r = http.postForm("/oauth2/introspect", form("token_type_hint", "access_token"),
                "Authorization", "Bearer " + adminToken());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("invalid_request");
    }

    @Test
    void aRevocationRacingARefreshLeavesNoUsableTokenOfTheSession() throws Exception {
        for (int round = 0; round < 5; round++) {
            Map<String, Object> pair = passwordGrant();
            String refresh = (String) pair.get("refresh_token");
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var revoked = pool.submit(() -> http.postForm("/oauth2/revoke", form("token", refresh)));
                var refreshed = pool.submit(() -> http.postForm("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", refresh)));
                assertThat(revoked.get().statusCode()).isEqualTo(200);
                HttpResponse<String> r = refreshed.get();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 400);
                if (r.statusCode() == 200) { // the refresh won: the revocation that followed ended what it issued
                    Map<String, Object> won = Json.parseObject(r.body());
                    assertThat(http.getAs((String) won.get("access_token"), "/me").statusCode()).isEqualTo(401);
                    assertThat(http.postForm("/oauth2/token", form("grant_type", "refresh_token", "refresh_token",
                            (String) won.get("refresh_token"))).statusCode()).isEqualTo(400);
                }
                assertThat(http.getAs((String) pair.get("access_token"), "/me").statusCode()).isEqualTo(401);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void wrongPasswordAndUnknownUserAreIndistinguishable() {
        HttpResponse<String> wrong = http.postForm("/oauth2/token", form("grant_type", "password", "username", "ada", "password", "wrong password"));
        HttpResponse<String> unknown = http.postForm("/oauth2/token", form("grant_type", "password", "username", "nobody", "password", "wrong password"));
        assertThat(wrong.body()).isEqualTo(unknown.body());
    }

    @Test
    void revokingAnAccessTokenRefusesItOnTheNextRequest() {
        String access = (String) passwordGrant().get("access_token");
        assertThat(http.getAs(access, "/me").statusCode()).isEqualTo(200);

        HttpResponse<String> r = http.postForm("/oauth2/revoke", form("token", access, "token_type_hint", "access_token"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(http.getAs(access, "/me").statusCode()).isEqualTo(401);
    }

    @Test
    void revokingARefreshTokenEndsItsSessionAndItsAccessTokens() {
        Map<String, Object> pair = passwordGrant();

        assertThat(http.postForm("/oauth2/revoke", form("token", (String) pair.get("refresh_token"))).statusCode()).isEqualTo(200);

        HttpResponse<String> refresh = http.postForm("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", (String) pair.get("refresh_token")));
        assertThat(error(refresh)).isEqualTo("invalid_grant");
        assertThat(http.getAs((String) pair.get("access_token"), "/me").statusCode()).isEqualTo(401);
    }

    @Test
    void revokingUnknownTokensIsAlwaysOk() {
        for (String token : new String[] {"unknown", "a.b.c", "x".repeat(2000), "eyJhbGciOiJub25lIn0.e30."}) {
            assertThat(http.postForm("/oauth2/revoke", form("token", token)).statusCode()).as(token).isEqualTo(200);
        }
        HttpResponse<String> missing = http.postForm("/oauth2/revoke", form("token_type_hint", "access_token"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing)).isEqualTo("invalid_request");
    }

    @Test
    void introspectionNeedsAnAdminBearerToken() {
        String someone = (String) passwordGrant().get("access_token");

        HttpResponse<String> anonymous = http.postForm("/oauth2/introspect", form("token", someone));
        HttpResponse<String> notAdmin = http.postForm("/oauth2/introspect", form("token", someone), "Authorization", "Bearer " + someone);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(notAdmin.statusCode()).isEqualTo(403);
    }

    @Test
    void introspectionAnswersActiveAndTheClaims() {
        String admin = adminToken();
        Map<String, Object> pair = passwordGrant();

        Map<String, Object> access = Json.parseObject(http.postForm("/oauth2/introspect",
                form("token", (String) pair.get("access_token")), "Authorization", "Bearer " + admin).body());
        Map<String, Object> refresh = Json.parseObject(http.postForm("/oauth2/introspect",
                form("token", (String) pair.get("refresh_token")), "Authorization", "Bearer " + admin).body());

        assertThat(access).containsEntry("active", true).containsEntry("token_type", "Bearer")
                .containsEntry("client_id", "jot").containsEntry("username", "ada").containsEntry("scope", "profile")
                .containsKeys("sub", "exp", "iat", "iss", "jti");
        assertThat(refresh).containsEntry("active", true).containsEntry("token_type", "refresh_token").containsKeys("sub", "exp");
    }

    @Test
    void revokedAndUnknownTokensIntrospectAsInactive() {
        String admin = adminToken();
        Map<String, Object> pair = passwordGrant();
        http.postForm("/oauth2/revoke", form("token", (String) pair.get("access_token")));

        for (String token : new String[] {(String) pair.get("access_token"), "unknown", "a.b.c"}) {
            HttpResponse<String> r = http.postForm("/oauth2/introspect", form("token", token), "Authorization", "Bearer " + admin);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Json.parseObject(r.body())).as(token).isEqualTo(Map.of("active", false));
        }
    }

    @Test
    void theDiscoveryDocumentListsTheEndpoints() {
        Map<String, Object> meta = Json.parseObject(http.get("/.well-known/openid-configuration").body());

        assertThat(meta).containsEntry("token_endpoint", TestConfigs.ISSUER + "/oauth2/token")
                .containsEntry("revocation_endpoint", TestConfigs.ISSUER + "/oauth2/revoke")
                .containsEntry("introspection_endpoint", TestConfigs.ISSUER + "/oauth2/introspect");
        assertThat(meta.get("grant_types_supported"))
                .isEqualTo(java.util.List.of("password", "refresh_token", "client_credentials"));
        assertThat(meta.get("token_endpoint_auth_methods_supported"))
                .isEqualTo(java.util.List.of("client_secret_basic", "client_secret_post", "none"));
        assertThat(meta.get("scopes_supported"))
                .isEqualTo(java.util.List.of("profile", "jot:introspect", "jot:revocations", "jot:usage"));
    }
}
