package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import dev.jot.server.config.Registration;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API (issue 13): users, sessions, audit, keys, registration, the first admin — on H2 and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class AdminContractTest {
    static final String ZERO_ID = "00000000-0000-0000-0000-000000000000";

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    Api api;
    String admin;
    String rootId;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        clock = MutableClock.startingNow();
        restart(b -> b);
        admin = api.admin("root");
        rootId = (String) Api.claims(admin).get("sub");
    }

    void restart(UnaryOperator<ServerConfig.Builder> settings) {
        if (server != null) {
            server.close();
        }
        server = JotServer.start(settings.apply(database.applyTo(TestConfigs.base(dataDir))).build(), clock);
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Http.disconnect(server.baseUrl());
            server.close();
        }
        database.close();
    }

    /** Every admin route, with a body where it takes one. */
    static List<String[]> adminRoutes() {
        return List.of(new String[] {"GET", "/admin/users"}, new String[] {"POST", "/admin/users"},
                new String[] {"GET", "/admin/users/" + ZERO_ID}, new String[] {"PATCH", "/admin/users/" + ZERO_ID},
                new String[] {"DELETE", "/admin/users/" + ZERO_ID}, new String[] {"GET", "/admin/sessions"},
                new String[] {"DELETE", "/admin/sessions/" + ZERO_ID}, new String[] {"GET", "/admin/audit"},
                new String[] {"POST", "/admin/keys/rotate"}, new String[] {"GET", "/admin/clients"},
                new String[] {"POST", "/admin/clients"}, new String[] {"GET", "/admin/clients/" + ZERO_ID},
                new String[] {"DELETE", "/admin/clients/" + ZERO_ID},
                new String[] {"POST", "/admin/clients/" + ZERO_ID + "/secrets"},
                new String[] {"DELETE", "/admin/clients/" + ZERO_ID + "/secrets/" + ZERO_ID});
    }

    @Test
    void everyAdminRouteIsForbiddenToEveryoneButAdmins() {
        api.register("bob");
        String bob = api.login("bob");
        Map<String, Object> key = api.apiKey(bob, Map.of("name", "k"));
        String keyToken = api.clientToken((String) key.get("id"), (String) key.get("key"));
        Map<String, Object> client = api.client(admin, Map.of("name", "c", "scopes",
                List.of(Api.INTROSPECT, Api.REVOCATIONS, "profile")));
        String clientToken = api.clientToken((String) client.get("client_id"), (String) client.get("client_secret"));

        for (String[] route : adminRoutes()) {
            String what = route[0] + " " + route[1];
            HttpResponse<String> anonymous = api.call(null, route[0], route[1], "{}");
            assertThat(anonymous.statusCode()).as(what).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
            assertThat(Api.code(anonymous)).as(what).isEqualTo("token_missing");
            for (String token : List.of(bob, keyToken, clientToken)) {
                HttpResponse<String> r = api.call(token, route[0], route[1], "{}");
                assertThat(r.statusCode()).as(what).isEqualTo(403);
                assertThat(Api.code(r)).as(what).isEqualTo("insufficient_scope");
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(v ->
                        assertThat(v).contains("scope=\"admin\""));
            }
        }
    }

    @Test
    void anAdminCreatesUsersEvenWhenRegistrationIsClosed() {
        restart(b -> b.set(Settings.REGISTRATION, Registration.CLOSED));
        admin = api.login("root");

        HttpResponse<String> self = api.http.postJson("/register", Json.write(Map.of("username", "eve",
                "password", Api.PASSWORD)));
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(Api.code(self)).isEqualTo("registration_closed");

        Map<String, Object> carol = api.expect(201, admin, "POST", "/admin/users", Map.of("username", "carol",
                "password", Api.PASSWORD, "roles", List.of("support")));
        assertThat(carol).containsKeys("id", "created_at").containsEntry("username", "carol")
                .containsEntry("roles", List.of("support")).containsEntry("disabled", false);
        assertThat(Api.claims(api.login("carol"))).containsEntry("roles", List.of("support"));
        assertThat(api.expect(200, admin, "GET", "/admin/users/" + carol.get("id"), null)).isEqualTo(carol);
        assertThat(api.call(admin, "POST", "/admin/users", Map.of("username", "carol", "password", Api.PASSWORD))
                .statusCode()).isEqualTo(409);
    }

    @Test
    void usersAreListedInPagesAndFoundByPartOfTheirName() {
        for (String name : List.of("alice", "alfred", "bob", "carol", "dave")) {
            api.register(name);
        }
        Map<String, Object> first = api.expect(200, admin, "GET", "/admin/users?limit=4", null);
        assertThat(Api.items(first, "users")).hasSize(4);
        Map<String, Object> second = api.expect(200, admin, "GET", "/admin/users?limit=4&cursor="
                + first.get("next_cursor"), null);
        assertThat(Api.items(second, "users")).hasSize(2);
        assertThat(second.get("next_cursor")).isNull();

        Map<String, Object> found = api.expect(200, admin, "GET", "/admin/users?q=AL", null);
        assertThat(Api.items(found, "users").stream().map(u -> u.get("username")))
                .containsExactlyInAnyOrder("alice", "alfred");
        assertThat(Api.items(api.expect(200, admin, "GET", "/admin/users?q=%25", null), "users")).isEmpty();
    }

    @Test
    void pagingReturnsEveryUserExactlyOnceWhileUsersAreBeingAdded() throws Exception {
        Set<String> existing = new HashSet<>(List.of(rootId));
        for (int i = 0; i < 40; i++) {
            existing.add(api.register("user" + i));
            if (i % 5 == 0) {
                clock.advance(Duration.ofMillis(1)); // some share a creation time, some do not
            }
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> adding = writer.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    api.register("late" + i);
                }
            });
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Map<String, Object> page = api.expect(200, admin, "GET", "/admin/users?limit=3"
                        + (cursor == null ? "" : "&cursor=" + cursor), null);
                ((List<?>) page.get("users")).forEach(u -> seen.add((String) ((Map<?, ?>) u).get("id")));
                cursor = (String) page.get("next_cursor");
            } while (cursor != null);
            adding.get();
            assertThat(seen).doesNotHaveDuplicates().containsAll(existing);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void disablingAUserEndsTheirSessionsAndRefusesTheirTokensAtOnce() {
        String bobId = api.register("bob");
        Map<String, Object> pair = api.loginPair("bob");
        String token = (String) pair.get("access_token");
        assertThat(Api.items(api.expect(200, admin, "GET", "/admin/sessions?user_id=" + bobId, null), "sessions")).hasSize(1);

        Map<String, Object> disabled = api.expect(200, admin, "PATCH", "/admin/users/" + bobId, Map.of("disabled", true));

        assertThat(disabled).containsEntry("disabled", true);
        assertThat(api.http.getAs(token, "/me").statusCode()).isEqualTo(401);
        assertThat(api.token(Api.form("grant_type", "refresh_token", "refresh_token",
                (String) pair.get("refresh_token"))).statusCode()).isEqualTo(400);
        assertThat(api.http.postJson("/login", Json.write(Map.of("username", "bob", "password", Api.PASSWORD)))
                .statusCode()).isEqualTo(401);
        assertThat(Api.items(api.expect(200, admin, "GET", "/admin/sessions?user_id=" + bobId, null), "sessions")).isEmpty();

        api.expect(200, admin, "PATCH", "/admin/users/" + bobId, Map.of("disabled", false));
        clock.advance(Duration.ofSeconds(1)); // a token of the same second as the denial counts as before it
        assertThat(api.http.getAs(api.login("bob"), "/me").statusCode()).isEqualTo(200);
    }

    @Test
    void roleChangesApplyFromTheNextToken() {
        String bobId = api.register("bob");
        String before = api.login("bob");

        api.expect(200, admin, "PATCH", "/admin/users/" + bobId, Map.of("roles", List.of("admin", "support")));

        assertThat(api.call(before, "GET", "/admin/users", null).statusCode()).isEqualTo(403);
        String after = api.login("bob");
        assertThat(Api.claims(after)).containsEntry("roles", List.of("admin", "support"));
        assertThat(api.call(after, "GET", "/admin/users", null).statusCode()).isEqualTo(200);
    }

    @Test
    void deletingAUserRemovesTheirKeysAndRefusesTheirTokensAtOnce() {
        String bobId = api.register("bob");
        String bob = api.login("bob");
        Map<String, Object> key = api.apiKey(bob, Map.of("name", "k"));

        api.expect(204, admin, "DELETE", "/admin/users/" + bobId, null);

        assertThat(api.http.getAs(bob, "/me").statusCode()).isEqualTo(401);
        assertThat(api.http.postWithHeader("/login", "X-API-Key", (String) key.get("key")).statusCode()).isEqualTo(401);
        HttpResponse<String> gone = api.call(admin, "GET", "/admin/users/" + bobId, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Api.code(gone)).isEqualTo("user_not_found");
        assertThat(api.call(admin, "DELETE", "/admin/users/" + bobId, null).statusCode()).isEqualTo(404);
        api.register("bob"); // the name is free again
    }

    @Test
    void noChangeLeavesTheServerWithoutAnEnabledAdmin() {
        for (Object[] change : new Object[][] {{"PATCH", Map.of("disabled", true)}, {"PATCH", Map.of("roles", List.of())},
                {"DELETE", null}}) {
            HttpResponse<String> r = api.call(admin, (String) change[0], "/admin/users/" + rootId, change[1]);
            assertThat(r.statusCode()).as(String.valueOf(change[1])).isEqualTo(409);
            assertThat(Api.code(r)).isEqualTo("last_admin");
        }
        String bobId = api.register("bob");
        api.expect(200, admin, "PATCH", "/admin/users/" + bobId, Map.of("roles", List.of("admin")));

        api.expect(200, admin, "PATCH", "/admin/users/" + rootId, Map.of("roles", List.of()));
    }

    @Test
    void anAdminEndsOneSessionAndItsTokensAtOnce() {
        String bobId = api.register("bob");
        String first = api.login("bob");
        String second = api.login("bob");
        List<Map<String, Object>> sessions = Api.items(api.expect(200, admin, "GET", "/admin/sessions?user_id=" + bobId,
                null), "sessions");
        assertThat(sessions).hasSize(2).allSatisfy(s -> assertThat(s)
                .containsKeys("id", "user_id", "client_id", "created_at", "expires_at").containsEntry("user_id", bobId));
        String firstSid = (String) Api.claims(first).get("sid");

        api.expect(204, admin, "DELETE", "/admin/sessions/" + firstSid, null);

        assertThat(api.http.getAs(first, "/me").statusCode()).isEqualTo(401);
        assertThat(api.http.getAs(second, "/me").statusCode()).isEqualTo(200);
        HttpResponse<String> again = api.call(admin, "DELETE", "/admin/sessions/" + firstSid, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(Api.code(again)).isEqualTo("session_not_found");
        assertThat(Api.items(api.expect(200, admin, "GET", "/admin/sessions", null), "sessions")).hasSize(2);
    }

    @Test
    void rotatingKeysWorksWithTheServerRunningOnEitherDatabase() {
        String kidBefore = (String) Unverified.decode(admin).header().get("kid");

        Map<String, Object> rotation = api.expect(200, admin, "POST", "/admin/keys/rotate", null);

        assertThat(rotation).containsEntry("retired_kid", kidBefore).containsKeys("active_kid", "next_kid", "early");
        String fresh = api.login("root");
        assertThat(Unverified.decode(fresh).header().get("kid")).isEqualTo(rotation.get("active_kid"));
        assertThat(api.http.getAs(admin, "/me").statusCode()).as("the retired key still verifies").isEqualTo(200);
        assertThat(api.http.get("/.well-known/jwks.json").body()).contains((String) rotation.get("next_kid"));
    }

    @Test
    void theAuditLogIsSearchedByUserTypeAndTimeInPages() {
        String bobId = api.register("bob");
        clock.advance(Duration.ofMinutes(1));
        String middle = clock.instant().toString();
        api.login("bob");
        api.login("bob");
        api.expect(200, admin, "PATCH", "/admin/users/" + bobId, Map.of("disabled", true));
        clock.advance(Duration.ofMinutes(1));
        String end = clock.instant().toString();

        List<Map<String, Object>> bobs = Api.items(api.expect(200, admin, "GET", "/admin/audit?user_id=" + bobId, null),
                "events");
        assertThat(bobs.stream().map(e -> e.get("type")))
                .containsExactly("user_disabled", "login_success", "login_success", "register");
        List<?> logins = (List<?>) api.expect(200, admin, "GET", "/admin/audit?type=login_success&since=" + middle
                + "&until=" + end, null).get("events");
        assertThat(logins).hasSize(2);
        Map<String, Object> page = api.expect(200, admin, "GET", "/admin/audit?user_id=" + bobId + "&limit=3", null);
        Map<String, Object> rest = api.expect(200, admin, "GET", "/admin/audit?user_id=" + bobId + "&limit=3&cursor="
                + page.get("next_cursor"), null);
        assertThat(Api.items(rest, "events")).singleElement()
                .satisfies(e -> assertThat(((Map<?, ?>) e).get("type")).isEqualTo("register"));
        assertThat(rest.get("next_cursor")).isNull();
        assertThat(bobs.getFirst().get("actor_id")).isEqualTo(rootId);
    }

    /** Each admin action, and the audit event it writes (about whom, by the acting admin). */
    @Test
    void everyAdminActionWritesItsAuditEventWithTheActingAdmin() {
        String bobId = api.register("bob");
        String bob = api.login("bob");
        String sid = (String) Api.claims(bob).get("sid");
        record Action(String description, Runnable act, String event, String user) {
        }
        String[] clientId = new String[1];
        String[] secretId = new String[1];
        String[] createdId = new String[1];
        List<Action> actions = List.of(
                new Action("POST /admin/users", () -> createdId[0] = (String) api.expect(201, admin, "POST",
                        "/admin/users", Map.of("username", "carol", "password", Api.PASSWORD)).get("id"),
                        "user_created", null),
                new Action("PATCH disabled: true", () -> api.expect(200, admin, "PATCH", "/admin/users/" + bobId,
                        Map.of("disabled", true)), "user_disabled", bobId),
                new Action("PATCH disabled: false", () -> api.expect(200, admin, "PATCH", "/admin/users/" + bobId,
                        Map.of("disabled", false)), "user_enabled", bobId),
                new Action("PATCH roles: + a role", () -> api.expect(200, admin, "PATCH", "/admin/users/" + bobId,
                        Map.of("roles", List.of("support"))), "role_granted", bobId),
                new Action("PATCH roles: - a role", () -> api.expect(200, admin, "PATCH", "/admin/users/" + bobId,
                        Map.of("roles", List.of())), "role_revoked", bobId),
                new Action("DELETE /admin/sessions/{id}", () -> api.expect(204, admin, "DELETE", "/admin/sessions/"
                        + sessionOf("carol"), null), "session_revoked", null),
                new Action("DELETE /admin/users/{id}", () -> api.expect(204, admin, "DELETE", "/admin/users/" + bobId,
                        null), "user_deleted", bobId),
                new Action("POST /admin/clients", () -> clientId[0] = (String) api.client(admin, Map.of("name", "c",
                        "scopes", List.of("x"))).get("client_id"), "client_created", null),
                new Action("POST /admin/clients/{id}/secrets", () -> secretId[0] = (String) api.expect(201, admin,
                        "POST", "/admin/clients/" + clientId[0] + "/secrets", null).get("id"),
                        "client_secret_added", null),
                new Action("DELETE /admin/clients/{id}/secrets/{sid}", () -> api.expect(204, admin, "DELETE",
                        "/admin/clients/" + clientId[0] + "/secrets/" + secretId[0], null), "client_secret_removed", null),
                new Action("DELETE /admin/clients/{id}", () -> api.expect(204, admin, "DELETE", "/admin/clients/"
                        + clientId[0], null), "client_deleted", null),
                new Action("POST /admin/keys/rotate", () -> api.expect(200, admin, "POST", "/admin/keys/rotate", null),
                        "key_rotated", null));
        assertThat(sid).isNotNull();

        for (Action a : actions) {
            a.act().run();
            Map<?, ?> last = (Map<?, ?>) ((List<?>) api.expect(200, admin, "GET", "/admin/audit?limit=1", null)
                    .get("events")).getFirst();
            assertThat(last.get("type")).as(a.description()).isEqualTo(a.event());
            assertThat(last.get("actor_id")).as(a.description()).isEqualTo(rootId);
            if (a.user() != null) {
                assertThat(last.get("user_id")).as(a.description()).isEqualTo(a.user());
            }
        }
        assertThat(createdId[0]).isNotNull();
    }

    /** A live session of {@code user}, made by logging in. */
    private String sessionOf(String user) {
        return (String) Api.claims(api.login(user)).get("sid");
    }

    @Test
    void theFirstAdminComesFromTheEnvironmentOnceAndNoAccountIsEverPromoted() {
        database.close();
        database = TestDatabase.create(databaseKind);
        Path fresh = dataDir.resolve("fresh");
        UnaryOperator<ServerConfig.Builder> withAdmin = b -> database.applyTo(TestConfigs.base(fresh))
                .set(Settings.ADMIN_USERNAME, "boss").set(Settings.ADMIN_PASSWORD, "first admin password");
        server.close();
        server = JotServer.start(withAdmin.apply(null).build(), clock);
        api = new Api(server);

        HttpResponse<String> login = api.http.postJson("/login", Json.write(Map.of("username", "boss",
                "password", "first admin password")));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(Api.claims((String) Json.parseObject(login.body()).get("access_token")))
                .containsEntry("roles", List.of("admin"));

        server.close();
        server = JotServer.start(database.applyTo(TestConfigs.base(fresh)).set(Settings.ADMIN_USERNAME, "boss")
                .set(Settings.ADMIN_PASSWORD, "another password").build(), clock);
        api = new Api(server);
        assertThat(api.http.postJson("/login", Json.write(Map.of("username", "boss", "password",
                "first admin password"))).statusCode()).as("an admin exists: the settings change nothing").isEqualTo(200);

        server.close();
        server = null;
        database.close();
        database = TestDatabase.create(databaseKind);
        Path squatted = dataDir.resolve("squatted");
        JotServer first = JotServer.start(database.applyTo(TestConfigs.base(squatted)).build(), clock);
        new Api(first).register("boss");
        first.close();
        assertThatThrownBy(() -> JotServer.start(database.applyTo(TestConfigs.base(squatted))
                .set(Settings.ADMIN_USERNAME, "boss").set(Settings.ADMIN_PASSWORD, "first admin password").build(),
                clock)).isInstanceOf(StartupException.class).hasMessageContaining("not an admin");
    }
}
