package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OAuth clients (issue 13): created by admins, client credentials by Basic or post, secret rotation, deletion,
 * scopes and audiences, introspection and the revocation feed for clients — on H2 and PostgreSQL.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class ClientContractTest {
    static final String ORDERS = "https://orders.example.com";
    static final String BILLING = "https://billing.example.com";
    static final Duration SOON = Duration.ofSeconds(10);

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    Api api;
    String admin;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        clock = MutableClock.startingNow();
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir))
                .set(Settings.API, List.of(ORDERS, BILLING)).build(), clock);
        api = new Api(server);
        admin = api.admin("root");
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    Map<String, Object> client(String... scopes) {
        return api.client(admin, Map.of("name", "orders-sync", "scopes", List.of(scopes)));
    }

    static String id(Map<String, Object> client) {
        return (String) client.get("client_id");
    }

    static String secret(Map<String, Object> client) {
        return (String) client.get("client_secret");
    }

    @Test
    void anAdminCreatesAClientAndSeesItsSecretOnce() {
        Map<String, Object> created = client("orders:read", "orders:write");

        assertThat(created).containsKeys("client_id", "client_secret", "name", "scopes", "audiences", "created_at",
                "secrets").containsEntry("scopes", List.of("orders:read", "orders:write"));
        assertThat(secret(created)).matches("jot_[0-9A-Za-z]{38}");
        Map<String, Object> got = api.expect(200, admin, "GET", "/admin/clients/" + id(created), null);
        assertThat(got).containsEntry("client_id", id(created)).doesNotContainKey("client_secret");
        assertThat(got.toString()).doesNotContain(secret(created));
        assertThat(Api.items(got, "secrets")).singleElement().satisfies(s ->
                assertThat(((Map<?, ?>) s).get("start")).isEqualTo(secret(created).substring(0, 8)));
        assertThat(Api.items(api.expect(200, admin, "GET", "/admin/clients", null), "clients")).hasSize(1);
    }

    @Test
    void clientCredentialsByBasicOrPostGiveATokenWhoseSubjectIsTheClient() {
        Map<String, Object> c = client("orders:read", "orders:write");

        HttpResponse<String> basic = api.token(Api.form("grant_type", "client_credentials"),
                "Authorization", Api.basic(id(c), secret(c)));
        HttpResponse<String> post = api.token(Api.form("grant_type", "client_credentials", "client_id", id(c),
                "client_secret", secret(c), "scope", "orders:read"));

        assertThat(basic.statusCode()).as(basic.body()).isEqualTo(200);
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        Map<String, Object> all = Json.parseObject(basic.body());
        assertThat(all).containsEntry("scope", "orders:read orders:write").doesNotContainKey("refresh_token");
        assertThat(basic.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(Api.claims((String) all.get("access_token"))).containsEntry("sub", id(c))
                .containsEntry("client_id", id(c)).containsEntry("aud", ORDERS)
                .containsEntry("scope", "orders:read orders:write").doesNotContainKeys("roles", "sid");
        assertThat(Api.claims((String) Json.parseObject(post.body()).get("access_token")))
                .containsEntry("scope", "orders:read");
    }

    @Test
    void anUnknownClientAndAWrongSecretAreIndistinguishable() {
        Map<String, Object> c = client("orders:read");
        String other = secret(client("orders:read"));

        HttpResponse<String> wrongBasic = api.token(Api.form("grant_type", "client_credentials"),
                "Authorization", Api.basic(id(c), other));
        HttpResponse<String> unknownBasic = api.token(Api.form("grant_type", "client_credentials"),
                "Authorization", Api.basic("00000000-0000-0000-0000-000000000000", secret(c)));
        HttpResponse<String> wrongPost = api.token(Api.form("grant_type", "client_credentials", "client_id", id(c),
                "client_secret", "jot_not-a-secret"));
        HttpResponse<String> unknownPost = api.token(Api.form("grant_type", "client_credentials", "client_id",
                "nobody", "client_secret", secret(c)));

        for (HttpResponse<String> r : List.of(wrongBasic, unknownBasic)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(Api.error(r)).isEqualTo("invalid_client");
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"jot\", charset=\"UTF-8\"");
        }
        for (HttpResponse<String> r : List.of(wrongPost, unknownPost)) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Api.error(r)).isEqualTo("invalid_client");
        }
        assertThat(wrongBasic.body()).isEqualTo(unknownBasic.body()).isEqualTo(wrongPost.body())
                .isEqualTo(unknownPost.body());
    }

    @Test
    void aClientAuthenticatesOneWayAtATime() {
        Map<String, Object> c = client("orders:read");

        HttpResponse<String> both = api.token(Api.form("grant_type", "client_credentials", "client_id", id(c),
                "client_secret", secret(c)), "Authorization", Api.basic(id(c), secret(c)));
        HttpResponse<String> bearer = api.token(Api.form("grant_type", "client_credentials"),
                "Authorization", "Bearer " + admin);

        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(Api.error(both)).isEqualTo("invalid_request");
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(bearer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void aSecondSecretRotatesWithoutDowntimeAndAThirdIsRefused() {
        Map<String, Object> c = client("orders:read");
        String path = "/admin/clients/" + id(c) + "/secrets";

        Map<String, Object> second = api.expect(201, admin, "POST", path, null);
        String newSecret = (String) second.get("client_secret");
        assertThat(newSecret).matches("jot_[0-9A-Za-z]{38}").isNotEqualTo(secret(c));
        api.clientToken(id(c), secret(c));
        api.clientToken(id(c), newSecret);
        HttpResponse<String> third = api.call(admin, "POST", path, null);
        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(Api.code(third)).isEqualTo("too_many_secrets");

        String oldId = (String) ((Map<?, ?>) ((List<?>) api.expect(200, admin, "GET", "/admin/clients/" + id(c), null)
                .get("secrets")).stream().filter(s -> !((Map<?, ?>) s).get("id").equals(second.get("id")))
                .findFirst().orElseThrow()).get("id");
        api.expect(204, admin, "DELETE", path + "/" + oldId, null);

        HttpResponse<String> old = api.token(Api.form("grant_type", "client_credentials", "client_id", id(c),
                "client_secret", secret(c)));
        assertThat(Api.error(old)).isEqualTo("invalid_client");
        api.clientToken(id(c), newSecret);
        assertThat(api.call(admin, "DELETE", path + "/" + oldId, null).statusCode()).isEqualTo(404);
    }

    @Test
    void twoConcurrentRotationsLeaveExactlyTwoLiveSecrets() throws Exception {
        Map<String, Object> c = client("orders:read");
        String path = "/admin/clients/" + id(c) + "/secrets";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> adds = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    adds.add(pool.submit((Callable<HttpResponse<String>>) () -> {
                        go.await();
                        return api.call(admin, "POST", path, null);
                    }));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> f : adds) {
                    statuses.add(f.get().statusCode());
                }
                assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(201, 409);
                List<?> secrets = (List<?>) api.expect(200, admin, "GET", "/admin/clients/" + id(c), null).get("secrets");
                assertThat(secrets).hasSize(2);
                api.expect(204, admin, "DELETE", path + "/" + ((Map<?, ?>) secrets.getFirst()).get("id"), null);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeletedClientsTokensAreRefusedAtOnce() {
        Map<String, Object> c = client(Api.INTROSPECT);
        String token = api.clientToken(id(c), secret(c));
        HttpResponse<String> before = api.http.postForm("/oauth2/introspect", Api.form("token", token),
                "Authorization", "Bearer " + token);
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(Json.parseObject(before.body())).containsEntry("active", true).containsEntry("client_id", id(c))
                .doesNotContainKey("roles");

        api.expect(204, admin, "DELETE", "/admin/clients/" + id(c), null);

        HttpResponse<String> after = api.http.postForm("/oauth2/introspect", Api.form("token", token),
                "Authorization", "Bearer " + token);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(api.call(admin, "GET", "/admin/clients/" + id(c), null).statusCode()).isEqualTo(404);
        HttpResponse<String> again = api.token(Api.form("grant_type", "client_credentials", "client_id", id(c),
                "client_secret", secret(c)));
        assertThat(Api.error(again)).isEqualTo("invalid_client");
    }

    @Test
    void introspectionTakesAnAdminOrAClientWithTheIntrospectScope() {
        Map<String, Object> other = client("orders:read");
        String plain = api.clientToken(id(other), secret(other));

        HttpResponse<String> refused = api.http.postForm("/oauth2/introspect", Api.form("token", plain),
                "Authorization", "Bearer " + plain);
        HttpResponse<String> byAdmin = api.http.postForm("/oauth2/introspect", Api.form("token", plain),
                "Authorization", "Bearer " + admin);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).contains("scope=\"jot:introspect\""));
        assertThat(Json.parseObject(byAdmin.body())).containsEntry("active", true).containsEntry("sub", id(other));
    }

    @Test
    void aClientWithTheRevocationsScopeReadsTheFeedAndHearsOfDeletedCredentialsAndDisabledUsers() {
        Map<String, Object> reader = client(Api.REVOCATIONS);
        Map<String, Object> doomed = client("orders:read");
        String adaId = api.register("ada");
        String ada = api.login("ada");
        Map<String, Object> key = api.apiKey(ada, Map.of("name", "k"));
        String token = api.clientToken(id(reader), secret(reader));

        try (SseStream feed = SseStream.open(server.baseUrl() + "/revocations", "Authorization", "Bearer " + token)) {
            assertThat(feed.status).isEqualTo(200);
            feed.until("ready", SOON);
            api.expect(204, admin, "DELETE", "/admin/clients/" + id(doomed), null);
            assertThat(Json.parseObject(feed.next(SOON).data())).containsEntry("kind", "client")
                    .containsEntry("value", id(doomed)).containsKeys("issued_before", "until");
            api.expect(204, ada, "DELETE", "/api-keys/" + key.get("id"), null);
            assertThat(Json.parseObject(feed.next(SOON).data())).containsEntry("kind", "client")
                    .containsEntry("value", key.get("id")).containsKey("issued_before");
            api.expect(200, admin, "PATCH", "/admin/users/" + adaId, Map.of("disabled", true));
            List<String> denials = new ArrayList<>();
            for (int i = 0; i < 2; i++) { // the user's one session, and the user
                Map<String, Object> d = Json.parseObject(feed.next(SOON).data());
                denials.add(d.get("kind") + " " + d.get("value"));
            }
            assertThat(denials).containsExactlyInAnyOrder("sid " + Api.claims(ada).get("sid"), "sub " + adaId);
        }
        Map<String, Object> plain = client("orders:read");
        HttpResponse<String> refused = api.http.getAs(api.clientToken(id(plain), secret(plain)), "/revocations");
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenIsForTheDefaultApiUnlessTheRequestOrTheClientNamesAnother() {
        Map<String, Object> any = client("orders:read");
        Map<String, Object> billingOnly = api.client(admin, Map.of("name", "billing", "scopes", List.of("x"),
                "audiences", List.of(BILLING)));

        assertThat(Api.claims(api.clientToken(id(any), secret(any)))).containsEntry("aud", ORDERS);
        assertThat(Api.claims(api.clientToken(id(any), secret(any), "resource", BILLING))).containsEntry("aud", BILLING);
        assertThat(Api.claims(api.clientToken(id(any), secret(any), "audience", BILLING))).containsEntry("aud", BILLING);
        assertThat(Api.claims(api.clientToken(id(billingOnly), secret(billingOnly)))).containsEntry("aud", BILLING);
        for (String[] asked : new String[][] {{"resource", "https://elsewhere.example"}, {"audience", "orders"}}) {
            HttpResponse<String> r = api.token(Api.form("grant_type", "client_credentials", "client_id", id(any),
                    "client_secret", secret(any), asked[0], asked[1]));
            assertThat(Api.error(r)).as(asked[1]).isEqualTo("invalid_target");
        }
        HttpResponse<String> outside = api.token(Api.form("grant_type", "client_credentials", "client_id",
                id(billingOnly), "client_secret", secret(billingOnly), "resource", ORDERS));
        assertThat(Api.error(outside)).isEqualTo("invalid_target");
        HttpResponse<String> wider = api.token(Api.form("grant_type", "client_credentials", "client_id", id(any),
                "client_secret", secret(any), "scope", "orders:read orders:write"));
        assertThat(Api.error(wider)).isEqualTo("invalid_scope");
    }

    @Test
    void theServerAcceptsItsTokensForAnyOfItsApisAndUsersMayNameOne() {
        HttpResponse<String> r = api.token(Api.form("grant_type", "password", "username", "root", "password",
                Api.PASSWORD, "resource", BILLING, "scope", "profile"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String billing = (String) Json.parseObject(r.body()).get("access_token");
        assertThat(Api.claims(billing)).containsEntry("aud", BILLING).containsEntry("scope", "profile");
        assertThat(Api.claims(admin)).as("a login's default").containsEntry("aud", ORDERS);
        assertThat(api.http.getAs(billing, "/me").statusCode()).isEqualTo(200);

        String refresh = (String) Json.parseObject(r.body()).get("refresh_token");
        HttpResponse<String> refreshed = api.token(Api.form("grant_type", "refresh_token", "refresh_token", refresh));
        assertThat(Api.claims((String) Json.parseObject(refreshed.body()).get("access_token")))
                .as("the session keeps the API it was granted").containsEntry("aud", BILLING);
    }

    @Test
    void eachSecretRecordsWhenItWasLastUsed() {
        Map<String, Object> c = client("orders:read");
        api.clientToken(id(c), secret(c));

        List<?> secrets = (List<?>) api.expect(200, admin, "GET", "/admin/clients/" + id(c), null).get("secrets");

        assertThat(((Map<?, ?>) secrets.getFirst()).get("last_used_at")).isEqualTo(clock.instant().toString());
    }

    @Test
    void aClientMayNotHaveTheAdminRoleAsAScope() {
        HttpResponse<String> r = api.call(admin, "POST", "/admin/clients", Map.of("name", "x", "scopes",
                List.of("admin")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Api.code(r)).isEqualTo("invalid_scope");
    }
}
