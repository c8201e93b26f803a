package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** API keys (issue 13): created by a user, traded for access tokens, revoked at once — on H2 and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class ApiKeyContractTest {
    static final String ORDERS = "https://orders.example.com";
    static final String BILLING = "https://billing.example.com";
    static final String KEY_FORMAT = "jot_[0-9A-Za-z]{38}";

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    Api api;
    String adaId;
    String ada;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        clock = MutableClock.startingNow();
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir))
                .set(Settings.USER_SCOPES, List.of("profile", "orders:read"))
                .set(Settings.API, List.of(ORDERS, BILLING))
                .set(Settings.API_KEY_MAX_LIFETIME, Duration.ofDays(90))
                .build(), clock);
        api = new Api(server);
        adaId = api.register("ada");
        ada = api.login("ada");
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    Map<String, Object> key(String... scopes) {
        return api.apiKey(ada, Map.of("name", "ci", "scopes", List.of(scopes)));
    }

    @Test
    void aNewKeyIsShownOnceInGitHubsFormatAndListedWithoutItsSecret() {
        Map<String, Object> created = api.apiKey(ada, Map.of("name", "ci", "scopes", List.of("orders:read"),
                "expires_in", 7_776_000));

        assertThat(created).containsKeys("id", "name", "key", "scopes", "created_at", "expires_at")
                .containsEntry("name", "ci").containsEntry("scopes", List.of("orders:read"));
        String key = (String) created.get("key");
        assertThat(key).matches(KEY_FORMAT).startsWith((String) created.get("start"));
        assertThat(created.get("expires_at")).isEqualTo(
                clock.instant().plus(Duration.ofDays(90)).toString());

        Map<String, Object> list = api.expect(200, ada, "GET", "/api-keys", null);
        assertThat(Api.items(list, "api_keys")).singleElement().satisfies(k -> {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) k;
            assertThat(m).containsEntry("id", created.get("id")).containsEntry("start", key.substring(0, 8))
                    .containsKey("last_used_at").doesNotContainKey("key");
            assertThat(m.toString()).doesNotContain(key);
        });
    }

    @Test
    void aKeyIsTradedForAnAccessTokenOfItsOwnerInEveryAcceptedWay() {
        Map<String, Object> created = key("profile", "orders:read");
        String id = (String) created.get("id");
        String key = (String) created.get("key");

        HttpResponse<String> header = api.http.postWithHeader("/login", "X-API-Key", key);
        HttpResponse<String> body = api.http.postJson("/login", Json.write(Map.of("api_key", key)));
        HttpResponse<String> post = api.token(Api.form("grant_type", "client_credentials", "client_id", id,
                "client_secret", key));
        HttpResponse<String> basic = api.token(Api.form("grant_type", "client_credentials"), "Authorization",
                Api.basic(id, key));

        for (HttpResponse<String> r : List.of(header, body, post, basic)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Map<String, Object> answer = Json.parseObject(r.body());
            assertThat(answer).as("no session: no refresh token").doesNotContainKey("refresh_token")
                    .containsEntry("token_type", "Bearer").containsEntry("scope", "profile orders:read");
            Map<String, Object> claims = Api.claims((String) answer.get("access_token"));
            assertThat(claims).containsEntry("sub", adaId).containsEntry("client_id", id)
                    .containsEntry("scope", "profile orders:read").containsEntry("aud", ORDERS)
                    .doesNotContainKeys("roles", "sid", "preferred_username");
        }
    }

    @Test
    void aTokenRequestMayNarrowTheKeysScopesAndNameAnApiButNeverWidenThem() {
        Map<String, Object> created = key("orders:read");
        String id = (String) created.get("id");
        String key = (String) created.get("key");

        String narrowed = api.clientToken(id, key, "scope", "orders:read", "resource", BILLING);
        assertThat(Api.claims(narrowed)).containsEntry("scope", "orders:read").containsEntry("aud", BILLING);

        HttpResponse<String> wider = api.token(Api.form("grant_type", "client_credentials", "client_id", id,
                "client_secret", key, "scope", "orders:read profile"));
        HttpResponse<String> unknownApi = api.token(Api.form("grant_type", "client_credentials", "client_id", id,
                "client_secret", key, "audience", "https://elsewhere.example"));
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(Api.error(wider)).isEqualTo("invalid_scope");
        assertThat(unknownApi.statusCode()).isEqualTo(400);
        assertThat(Api.error(unknownApi)).isEqualTo("invalid_target");
    }

    @Test
    void aKeysTokenCannotDoWhatItsScopesDoNotAllow() {
        Map<String, Object> ordersOnly = key("orders:read");
        String token = api.clientToken((String) ordersOnly.get("id"), (String) ordersOnly.get("key"));

        HttpResponse<String> me = api.http.getAs(token, "/me");

        assertThat(me.statusCode()).isEqualTo(403);
        assertThat(Api.code(me)).isEqualTo("insufficient_scope");
        assertThat(me.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).contains("error=\"insufficient_scope\"").contains("scope=\"profile\""));
        Map<String, Object> profile = key("profile");
        String withProfile = api.clientToken((String) profile.get("id"), (String) profile.get("key"));
        assertThat(api.http.getAs(withProfile, "/me").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyALoginsTokenManagesKeys() {
        Map<String, Object> created = key("profile");
        String keyToken = api.clientToken((String) created.get("id"), (String) created.get("key"));

        for (String[] route : new String[][] {{"POST", "/api-keys"}, {"GET", "/api-keys"},
                {"DELETE", "/api-keys/" + created.get("id")}}) {
            HttpResponse<String> r = api.call(keyToken, route[0], route[1],
                    route[0].equals("POST") ? Map.of("name", "more") : null);
            assertThat(r.statusCode()).as(route[1]).isEqualTo(403);
            assertThat(Api.code(r)).isEqualTo("insufficient_scope");
        }
        assertThat(api.call(null, "GET", "/api-keys", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aDeletedKeysTokensAreRefusedAtOnceAndTheKeyNoLonger() {
        Map<String, Object> created = key("profile");
        String id = (String) created.get("id");
        String token = api.clientToken(id, (String) created.get("key"));
        assertThat(api.http.getAs(token, "/me").statusCode()).isEqualTo(200);

        api.expect(204, ada, "DELETE", "/api-keys/" + id, null);

        assertThat(api.http.getAs(token, "/me").statusCode()).isEqualTo(401);
        assertThat(api.http.postWithHeader("/login", "X-API-Key", (String) created.get("key")).statusCode())
                .isEqualTo(401);
        assertThat(api.call(ada, "DELETE", "/api-keys/" + id, null).statusCode()).isEqualTo(404);
        assertThat(api.http.getAs(ada, "/me").statusCode()).as("the owner's own login is untouched").isEqualTo(200);
    }

    @Test
    void anotherUsersKeyIsNotFoundRatherThanForbidden() {
        Map<String, Object> adas = key("profile");
        api.register("bob");
        String bob = api.login("bob");

        HttpResponse<String> r = api.call(bob, "DELETE", "/api-keys/" + adas.get("id"), null);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Api.code(r)).isEqualTo("api_key_not_found");
        assertThat(Api.items(api.expect(200, bob, "GET", "/api-keys", null), "api_keys")).isEmpty();
        assertThat(api.http.postWithHeader("/login", "X-API-Key", (String) adas.get("key")).statusCode()).isEqualTo(200);
    }

    @Test
    void aDisabledUsersKeyAndTheTokensItGotAreRefusedAtOnce() {
        Map<String, Object> created = key("profile");
        String token = api.clientToken((String) created.get("id"), (String) created.get("key"));
        String admin = api.admin("root");

        api.expect(200, admin, "PATCH", "/admin/users/" + adaId, Map.of("disabled", true));

        assertThat(api.http.getAs(token, "/me").statusCode()).isEqualTo(401);
        assertThat(api.http.postWithHeader("/login", "X-API-Key", (String) created.get("key")).statusCode())
                .isEqualTo(401);
        HttpResponse<String> cc = api.token(Api.form("grant_type", "client_credentials", "client_id",
                (String) created.get("id"), "client_secret", (String) created.get("key")));
        assertThat(Api.error(cc)).isEqualTo("invalid_client");
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() {
        Map<String, Object> created = api.apiKey(ada, Map.of("name", "short", "expires_in", 60));
        String key = (String) created.get("key");
        assertThat(api.http.postWithHeader("/login", "X-API-Key", key).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(61));

        assertThat(api.http.postWithHeader("/login", "X-API-Key", key).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongMalformedAndUnknownKeysAreOneAnswer() {
        String key = (String) key("profile").get("key");
        String typo = key.substring(0, 10) + (key.charAt(10) == 'a' ? 'b' : 'a') + key.substring(11);
        Map<String, Object> deleted = key("profile");
        String wellFormedUnknown = (String) deleted.get("key");
        api.expect(204, ada, "DELETE", "/api-keys/" + deleted.get("id"), null);

        List<HttpResponse<String>> answers = List.of(api.http.postWithHeader("/login", "X-API-Key", typo),
                api.http.postWithHeader("/login", "X-API-Key", wellFormedUnknown),
                api.http.postWithHeader("/login", "X-API-Key", "nope"),
                api.http.postJson("/login", Json.write(Map.of("api_key", ""))));
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(Api.code(r)).isEqualTo("invalid_credentials");
        });
        assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
    }

    @Test
    void aKeyMayCarryOnlyTheUserScopesAndLiveNoLongerThanTheMaximum() {
        HttpResponse<String> admin = api.call(ada, "POST", "/api-keys", Map.of("name", "x", "scopes", List.of("admin")));
        HttpResponse<String> foreign = api.call(ada, "POST", "/api-keys", Map.of("name", "x", "scopes",
                List.of("orders:write")));
        HttpResponse<String> none = api.call(ada, "POST", "/api-keys", Map.of("name", "x", "scopes", List.of()));
        HttpResponse<String> tooLong = api.call(ada, "POST", "/api-keys", Map.of("name", "x", "expires_in",
                Duration.ofDays(91).toSeconds()));
        HttpResponse<String> otherApi = api.call(ada, "POST", "/api-keys", Map.of("name", "x", "audiences",
                List.of("https://elsewhere.example")));

        assertThat(List.of(admin, foreign, none)).allSatisfy(r -> assertThat(Api.code(r)).isEqualTo("invalid_scope"));
        assertThat(Api.code(tooLong)).isEqualTo("invalid_request");
        assertThat(Api.code(otherApi)).isEqualTo("invalid_target");
        Map<String, Object> byDefault = api.apiKey(ada, Map.of("name", "all"));
        assertThat(byDefault.get("scopes")).isEqualTo(List.of("profile", "orders:read"));
    }

    @Test
    void aKeyLimitedToOneApiGetsTokensForItAlone() {
        Map<String, Object> created = api.apiKey(ada, Map.of("name", "billing", "audiences", List.of(BILLING)));
        String id = (String) created.get("id");
        String key = (String) created.get("key");

        assertThat(Api.claims(api.clientToken(id, key))).containsEntry("aud", BILLING);
        HttpResponse<String> orders = api.token(Api.form("grant_type", "client_credentials", "client_id", id,
                "client_secret", key, "resource", ORDERS));
        assertThat(Api.error(orders)).isEqualTo("invalid_target");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKeysLastUseIsRecorded() {
        Map<String, Object> created = key("profile");
        api.http.postWithHeader("/login", "X-API-Key", (String) created.get("key"));

        Map<String, Object> listed = (Map<String, Object>) ((List<?>) api.expect(200, ada, "GET", "/api-keys", null)
                .get("api_keys")).getFirst();

        assertThat(listed.get("last_used_at")).isEqualTo(clock.instant().toString());
    }

    @Test
    void aUserHoldsAtMostAHundredKeys() {
        for (int i = 0; i < 100; i++) {
            api.apiKey(ada, Map.of("name", "k" + i));
        }
        HttpResponse<String> more = api.call(ada, "POST", "/api-keys", Map.of("name", "one more"));
        assertThat(more.statusCode()).isEqualTo(409);
        assertThat(Api.code(more)).isEqualTo("too_many_api_keys");
    }
}
