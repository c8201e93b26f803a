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
            Http.disconnect(server.baseUrl());
            server.close();
        }
        database.close();
    }

    static String creds(String user, String password) {
        return Json.write(Map.of("username", user, "password", password));
    }

    @Test
    void aUsernameWhoseLowerCaseGrowsPastTheLimitIsAcceptedAsTheRulesSay() {
        // U+0130 lower-cases (Locale.ROOT) to "i" + U+0307: 40 characters shown, 80 in the unique key.
        HttpResponse<String> r = http.postJson("/register", creds("\u0130".repeat(40), "a-fine-password"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aUsernameOfSixtyFourLettersOutsideTheBmpIsRegisteredOrAcceptedAsTheRulesSay() {
        // U+10330 GOTHIC LETTER AHSA: a letter (\p{L}), unchanged by NFKC, two UTF-16 units each.
        HttpResponse<String> r = http.postJson("/register", creds("\uD800\uDF30".repeat(64), "a-fine-password"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
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

    /** RFC 8265 OpaqueString / RFC 7617 §2.1: the same password in another Unicode normalisation form still logs in. */
    @Test
    void aPasswordLogsInWhetherItsAccentsArriveComposedOrDecomposed() {
        String decomposed = "cafe\u0301 au lait";  // e + COMBINING ACUTE ACCENT, as some keyboards send it
        String composed = "caf\u00e9 au lait";     // é as one character (NFC), as Basic clients send it
        assertThat(http.postJson("/register", creds("barista", decomposed)).statusCode()).isEqualTo(201);

        String basic = Base64.getEncoder().encodeToString(("barista:" + composed).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> viaBasic = http.postWithHeader("/login", "Authorization", "Basic " + basic);
        assertThat(viaBasic.statusCode()).as(viaBasic.body()).isEqualTo(200);
        assertThat(http.postJson("/login", creds("barista", decomposed)).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/login", creds("barista", "cafe au lait")).statusCode()).isEqualTo(401);
    }

    /** A JSON escape can carry half a surrogate pair; UTF-8 would turn it into '?', so it is refused outright. */
    @Test
    void aPasswordWithAnUnpairedSurrogateIsRefusedAtRegistrationAndLogin() {
        String lone = "{\"username\":\"%s\",\"password\":\"abc\\ud800defgh\"}";
        HttpResponse<String> reg = http.postJson("/register", lone.formatted("surrogate"));
        assertThat(reg.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(reg.body())).containsEntry("code", "invalid_password");

        assertThat(http.postJson("/register", creds("questioner", "abc?defgh")).statusCode()).isEqualTo(201);
        HttpResponse<String> login = http.postJson("/login", lone.formatted("questioner"));
        assertThat(login.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(login.body())).containsEntry("code", "invalid_request");
    }
}
