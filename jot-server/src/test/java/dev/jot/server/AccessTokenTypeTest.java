package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --access-token-type}: RFC 9068's {@code at+jwt} by default; {@code JWT} for resource servers that accept
 * nothing else (a stock Spring Boot one), in which case the server's own routes accept both.
 */
class AccessTokenTypeTest {

    @TempDir
    Path dataDir;

    private JotServer start(String type) {
        ServerConfig.Builder b = TestConfigs.base(dataDir);
        if (type != null) {
            b.set(Settings.ACCESS_TOKEN_TYPE, type);
        }
        return JotServer.start(b.build());
    }

    @Test
    void accessTokensAreTypedAtJwtByDefault() {
        try (JotServer server = start(null)) {
            Http http = new Http(server.baseUrl());
            register(http);

            assertThat(Unverified.decode(login(http)).header()).containsEntry("typ", "at+jwt");
        }
    }

    @Test
    void typedJwtTheyAreAcceptedByTheServerAlongWithThoseIssuedBeforeTheSwitch() {
        String before;
        try (JotServer server = start("at+jwt")) {
            Http http = new Http(server.baseUrl());
            register(http);
            before = login(http);
        }
        try (JotServer server = start("JWT")) {
            Http http = new Http(server.baseUrl());
            String after = login(http);

            assertThat(Unverified.decode(after).header()).containsEntry("typ", "JWT");
            assertThat(http.getAs(after, "/me").statusCode()).isEqualTo(200);
            assertThat(http.getAs(before, "/me").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyTheTwoTypesCanBeConfigured() {
        assertThat(Settings.ACCESS_TOKEN_TYPE.parse("JWT")).isEqualTo("JWT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Settings.ACCESS_TOKEN_TYPE.parse("jwt"))
                .hasMessageContaining("must be one of at+jwt, JWT");
    }

    private static void register(Http http) {
        assertThat(http.postJson("/register", creds()).statusCode()).isEqualTo(201);
    }

    private static String login(Http http) {
        HttpResponse<String> r = http.postJson("/login", creds());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body()).get("access_token");
    }

    private static String creds() {
        return Json.write(Map.of("username", "ada", "password", "correct horse battery"));
    }
}
