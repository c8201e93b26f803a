package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.javalin.JotGuardPlugin;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtSigner;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JotGuardPlugin} in a real Javalin 7 server. */
class JavalinPluginTest extends AdapterContractTest {

    private Javalin app;

    @Override
    String start(Guard guard, List<AccessRule> rules) {
        Handler echo = ctx -> ctx.contentType("application/json").result(echo(sub(ctx), ctx.body()));
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.registerPlugin(new JotGuardPlugin(guard, rules));
            config.routes.get("/health", echo);
            config.routes.get("/orders", echo);
            config.routes.post("/orders", echo);
            config.routes.get("/admin/users", echo);
            config.routes.get("/me", echo);
            config.routes.post("/me", echo);
            // Route-level access wins over the path rules: /health/audit is under no rule but its own.
            config.routes.get("/health/audit", echo, JotGuardPlugin.requires(Access.role("auditor")));
            config.routes.get("/orders/{id}", echo);
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    private static String sub(Context ctx) {
        return JotGuardPlugin.find(ctx).map(a -> a.jwt().claims().subject().orElse("?")).orElse(null);
    }

    @Override
    void stop() {
        app.stop();
    }

    @Test
    void aRouteThatNamesItsAccessOverridesThePathRules() throws Exception {
        String auditor = tokens.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("roles", List.of("auditor")));
        assertThat(Http.get(base + "/health/audit").status()).as("/health is public, its audit route is not").isEqualTo(401);
        assertThat(Http.get(base + "/health/audit", "Authorization", Http.bearer(tokens.valid("ada"))).status()).isEqualTo(403);
        assertThat(Http.get(base + "/health/audit", "Authorization", Http.bearer(auditor)).json()).containsEntry("sub", "ada");
    }

    @Test
    void rulesMatchTheDeclaredRouteSoAPathParameterRouteIsCoveredByItsPrefix() throws Exception {
        String reader = tokens.sign(Tokens.TRUSTED, c -> c.subject("ada").claim("scope", "orders:read"));
        assertThat(Http.get(base + "/orders/42").status()).isEqualTo(401);
        assertThat(Http.get(base + "/orders/42", "Authorization", Http.bearer(tokens.valid("ada"))).status()).isEqualTo(403);
        assertThat(Http.get(base + "/orders/42", "Authorization", Http.bearer(reader)).status()).isEqualTo(200);
        assertThat(Http.get(base + "/ORDERS/42/", "Authorization", Http.bearer(tokens.valid("ada"))).status())
                .as("a spelling that routes nowhere is a 404, never a way round the rule").isIn(403, 404);
    }

    @Test
    void aGuardForARealIssuerProtectsTheApplicationEndToEnd() throws Exception {
        Jwk key = RemoteKeysTest.K1;
        try (JwksServer issuer = new JwksServer(key)) {
            issuer.keys("max-age=300", "\"1\"", key);
            stop();
            try (Guard remote = Guard.forIssuer(issuer.issuer()).audience("orders-api").build()) {
                base = start(remote, RULES);
                Instant now = Instant.now();
                String token = JwtSigner.builder(key).type("at+jwt").build().sign(Claims.builder().issuer(issuer.issuer())
                        .subject("ada").audience("orders-api").claim("scope", "orders:read").issuedAt(now)
                        .expiresAt(now.plus(Duration.ofMinutes(5))).build());
                assertThat(Http.get(base + "/orders", "Authorization", Http.bearer(token)).json()).containsEntry("sub", "ada");
                String stranger = JwtSigner.builder(Jwk.generate(Algorithm.ES256, "k1")).type("at+jwt").build()
                        .sign(Claims.builder().issuer(issuer.issuer()).audience("orders-api").expiresAt(now.plusSeconds(60)).build());
                assertThat(Http.get(base + "/orders", "Authorization", Http.bearer(stranger)).json())
                        .containsEntry("code", "token_invalid");
                assertThat(issuer.discoveryRequests).hasValue(1);
            }
        }
    }
}
