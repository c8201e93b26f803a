package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A login racing an admin's disable of the same account: whichever commits first, the account ends with no live
 * session and the login's token (if it got one) is refused.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class DisableRaceTest {
    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    JotServer server;
    Api api;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir)).build());
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    @Test
    void aLoginRacingADisableLeavesNoLiveSessionAndNoUsableToken() throws Exception {
        for (int round = 0; round < 20; round++) {
            String name = "racer" + round;
            String id = api.register(name);
            CyclicBarrier together = new CyclicBarrier(2);
            var login = CompletableFuture.supplyAsync(() -> {
                await(together);
                return api.http.postJson("/login", Json.write(Map.of("username", name, "password", Api.PASSWORD)));
            });
            var disable = CompletableFuture.runAsync(() -> {
                await(together);
                server.services().userAdministration().update(null, id, Optional.of(true), Optional.empty(), null);
            });
            HttpResponse<String> answer = login.get();
            disable.get();

            assertThat(liveSessions(id)).as("round %d: live sessions of the disabled account", round).isZero();
            if (answer.statusCode() == 200) {
                String token = (String) Json.parseObject(answer.body()).get("access_token");
                assertThat(api.http.getAs(token, "/me").statusCode()).as("round %d: the racing login's token", round)
                        .isEqualTo(401);
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
            }
        }
    }

    private long liveSessions(String userId) {
        return server.services().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM sessions WHERE user_id = :u AND ended_at IS NULL")
                .bind("u", userId).mapTo(Long.class).one());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
