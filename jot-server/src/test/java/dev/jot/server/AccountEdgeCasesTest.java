package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Account inputs at the edges of the rules: what the rules accept must work end to end, never a 500. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class AccountEdgeCasesTest {
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
        ServerConfig config = database.applyTo(TestConfigs.base(dataDir)).build();
        server = JotServer.start(config);
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        database.close();
    }

    static String creds(String user, String password) {
        return Json.write(Map.of("username", user, "password", password));
    }

    @Test
    void aUsernameWhoseLowerCaseGrowsPastTheLimitIsRefusedNotAServerError() {
        // U+0130 lower-cases (Locale.ROOT) to "i" + U+0307: 40 characters shown, 80 in the unique key.
        HttpResponse<String> r = http.postJson("/register", creds("\u0130".repeat(40), "a-fine-password"));
        assertThat(r.statusCode()).as(r.body()).isIn(201, 400);
    }

    @Test
    void aUsernameOfSixtyFourLettersOutsideTheBmpIsRegisteredOrRefusedNotAServerError() {
        // U+10330 GOTHIC LETTER AHSA: a letter (\p{L}), unchanged by NFKC, two UTF-16 units each.
        HttpResponse<String> r = http.postJson("/register", creds("\uD800\uDF30".repeat(64), "a-fine-password"));
        assertThat(r.statusCode()).as(r.body()).isIn(201, 400);
    }

    @Test
    void aPasswordThatRegistrationAcceptsAlsoLogsIn() {
        String password = "\uD83D\uDE00".repeat(600); // 600 characters (the limit is 1024), 1200 UTF-16 units
        HttpResponse<String> reg = http.postJson("/register", creds("smiley", password));
        assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
        HttpResponse<String> login = http.postJson("/login", creds("smiley", password));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    }

    @Test
    void basicCredentialsMayHoldColonsAndNonAsciiInThePassword() {
        String password = "pa:ss wörd ✓ : ";
        assertThat(http.postJson("/register", creds("zoë", password)).statusCode()).isEqualTo(201);
        String basic = Base64.getEncoder().encodeToString(("zoë:" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.postWithHeader("/login", "Authorization", "Basic " + basic);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
