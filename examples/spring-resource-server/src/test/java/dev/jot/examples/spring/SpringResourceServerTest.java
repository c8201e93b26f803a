package dev.jot.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.examples.stock.StockBootApp;
import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot resource server against a real Jot server, both on random ports and in this JVM: Boot is given
 * Jot's issuer URI and finds everything else itself.
 */
class SpringResourceServerTest {

    @TempDir
    static Path dataDir;
    static Jot jot;
    static ConfigurableApplicationContext spring;
    static String base;

    @BeforeAll
    static void start() {
        jot = new Jot(dataDir.resolve("jot"), "at+jwt");
        spring = run(SpringResourceServer.class, jot.issuer());
        base = baseUrl(spring);
    }

    @AfterAll
    static void stop() {
        spring.close();
        jot.close();
    }

    static ConfigurableApplicationContext run(Class<?> app, String issuer) {
        return new SpringApplicationBuilder(app).run("--server.port=0", "--server.address=127.0.0.1",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer);
    }

    static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aJotTokenIsAccepted() {
        HttpResponse<String> r = Jot.get(base + "/private", jot.login("ada"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parseObject(r.body())).containsEntry("preferred_username", "ada");
    }

    @Test
    void withoutATokenOnlyThePublicRouteAnswers() {
        assertThat(Jot.get(base + "/public", null).statusCode()).isEqualTo(200);
        HttpResponse<String> r = Jot.get(base + "/private", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer").doesNotContain("error=");
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = jot.login("ada");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"roles\":[]", "\"roles\":[\"admin\"]");
        assertThat(payload).contains("\"roles\":[\"admin\"]");
        String promoted = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        char first = parts[2].charAt(0) == 'A' ? 'B' : 'A';
        String forged = parts[0] + "." + parts[1] + "." + first + parts[2].substring(1);

        for (String bad : new String[] {promoted, forged}) {
            HttpResponse<String> r = Jot.get(base + "/admin", bad);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        }
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() {
        HttpResponse<String> r = Jot.get(base + "/private", jot.expiredToken("ada"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"")
                .contains("expired");
    }

    @Test
    void aRoleBecomesAnAuthority() {
        HttpResponse<String> admin = Jot.get(base + "/admin", jot.login("root"));
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(Json.parseObject(admin.body()).get("authorities")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).contains("ROLE_admin", "SCOPE_profile");

        HttpResponse<String> user = Jot.get(base + "/admin", jot.login("ada"));
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(user.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
    }

    @Test
    void aRotatedSigningKeyIsPickedUp() {
        String before = jot.login("ada");
        assertThat(Jot.get(base + "/private", before).statusCode()).isEqualTo(200); // Boot holds the key set now

        jot.server.services().keys().rotateNow();
        jot.server.services().keys().rotateNow(); // twice: the second key was never published before Boot fetched
        String after = jot.login("ada");

        assertThat(kid(after)).isNotEqualTo(kid(before));
        HttpResponse<String> r = Jot.get(base + "/private", after);
        assertThat(r.statusCode()).as(r.headers().firstValue("WWW-Authenticate").orElse("")).isEqualTo(200);
    }

    @Test
    void aStockBootServerRefusesAtJwtButAcceptsJotsTokensTypedJwt(@TempDir Path otherData) {
        try (ConfigurableApplicationContext stock = run(StockBootApp.class, jot.issuer())) {
            HttpResponse<String> r = Jot.get(baseUrl(stock) + "/private", jot.login("ada"));
            assertThat(r.statusCode()).as("typ at+jwt, Boot's JwtTypeValidator.jwt()").isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("typ");
        }
        try (Jot typedJwt = new Jot(otherData, "JWT");
             ConfigurableApplicationContext stock = run(StockBootApp.class, typedJwt.issuer())) {
            String token = typedJwt.login("ada");
            assertThat(Unverified.decode(token).header()).containsEntry("typ", "JWT");

            HttpResponse<String> r = Jot.get(baseUrl(stock) + "/private", token);
            assertThat(r.statusCode()).as(r.headers().firstValue("WWW-Authenticate").orElse("")).isEqualTo(200);
        }
    }

    private static String kid(String token) {
        return (String) Unverified.decode(token).header().get("kid");
    }
}
