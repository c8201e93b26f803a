package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtSigner;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The token rules of a {@link Guard#forIssuer} guard, and what its builder refuses before any request. */
class IssuerPolicyTest {

    static final String AUDIENCE = "orders-api";

    final MutableClock clock = new MutableClock(Tokens.T0);
    final JwksServer server;

    IssuerPolicyTest() throws Exception {
        server = new JwksServer(RemoteKeysTest.K1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String sign(String typ, Consumer<Claims.Builder> custom) {
        Claims.Builder c = Claims.builder().issuer(server.issuer()).subject("ada").audience(AUDIENCE)
                .issuedAt(clock.instant()).expiresAt(clock.instant().plus(Duration.ofMinutes(15)));
        custom.accept(c);
        JwtSigner.Builder s = JwtSigner.builder(RemoteKeysTest.K1);
        if (typ != null) {
            s.type(typ);
        }
        return s.build().sign(c.build());
    }

    static Stream<Arguments> tokens() {
        Consumer<Claims.Builder> same = c -> { };
        return Stream.of(
                arguments("an RFC 9068 access token", "at+jwt", same, null),
                arguments("typ with the media type prefix", "application/at+jwt", same, null),
                arguments("typ JWT (an ID token, say)", "JWT", same, "The access token has an invalid typ claim"),
                arguments("no typ", null, same, "The access token has an invalid typ claim"),
                arguments("another audience", "at+jwt", c(c -> c.audience("billing-api")), "The access token has an invalid aud claim"),
                arguments("one of several audiences", "at+jwt", c(c -> c.audience("billing-api", AUDIENCE)), null),
                arguments("an empty audience list", "at+jwt", c(c -> c.audience(java.util.List.of())), "The access token has an invalid aud claim"),
                arguments("another issuer", "at+jwt", c(c -> c.issuer("https://evil.example.com")), "The access token has an invalid iss claim"),
                arguments("expired beyond the skew", "at+jwt", c(c -> c.expiresAt(Tokens.T0.minusSeconds(61))), "The access token expired"),
                arguments("expired within the skew", "at+jwt", c(c -> c.expiresAt(Tokens.T0.minusSeconds(59))), null));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("tokens")
    void theGuardAppliesRfc9068AndItsAudienceAndIssuer(String name, String typ, Consumer<Claims.Builder> claims, String refusal) {
        try (Guard g = guard(b -> b)) {
            AuthResult r = g.authenticate(FakeRequest.bearer(sign(typ, claims)));
            if (refusal == null) {
                assertThat(r).isInstanceOf(Authenticated.class);
            } else {
                assertThat(r).isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.description()).isEqualTo(refusal));
            }
        }
    }

    @Test
    void anyTypeAndAnotherTypeAndSkewAreSettings() {
        String untyped = sign(null, c -> c.expiresAt(Tokens.T0.minusSeconds(5)));
        try (Guard any = guard(b -> b.anyType()); Guard jwt = guard(b -> b.type("JWT").clockSkew(Duration.ZERO))) {
            assertThat(any.authenticate(FakeRequest.bearer(untyped))).isInstanceOf(Authenticated.class);
            assertThat(jwt.authenticate(FakeRequest.bearer(sign("JWT", c -> { })))).isInstanceOf(Authenticated.class);
            assertThat(jwt.authenticate(FakeRequest.bearer(sign("JWT", c -> c.expiresAt(Tokens.T0.minusSeconds(5))))))
                    .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo("token_expired"));
        }
    }

    @Test
    void anAlgorithmTheKeySetDoesNotNameIsRefusedWhateverTheTokenSays() {
        String hmac = Tokens.signExactly(dev.jot.jwt.Jwk.generate(Algorithm.HS256, "k1"),
                Claims.builder().issuer(server.issuer()).audience(AUDIENCE).expiresAt(Tokens.T0.plusSeconds(60)).build());
        try (Guard g = guard(b -> b)) {
            assertThat(g.authenticate(FakeRequest.bearer(hmac))).isInstanceOfSatisfying(Rejected.class,
                    r -> assertThat(r.description()).isEqualTo("The access token is signed with an algorithm that is not accepted"));
        }
    }

    Guard guard(UnaryOperator<Guard.Builder> custom) {
        return custom.apply(Guard.forIssuer(server.issuer()).audience(AUDIENCE).clock(clock).backgroundRefresh(false)).build();
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"http://auth.example.com", "http://127.0.0.1.evil.example.com", "http://128.0.0.1",
            "http://10.0.0.1", "ftp://127.0.0.1", "https://auth.example.com?tenant=a", "https://user@auth.example.com",
            "auth.example.com", "http://127.0.0.256"})
    void anIssuerThatIsNotHttpsOrLoopbackIsRefusedAtConfiguration(String issuer) {
        assertThatThrownBy(() -> Guard.forIssuer(issuer)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"https://auth.example.com", "https://auth.example.com/tenants/a", "http://127.0.0.1:8080",
            "http://127.1.2.3", "http://localhost:9000", "http://[::1]:9000", "HTTPS://Auth.Example.com"})
    void httpsAndLoopbackIssuersAreAccepted(String issuer) {
        assertThatCode(() -> Guard.forIssuer(issuer)).doesNotThrowAnyException();
    }

    @Test
    void theAudienceMustBeNamedOrExplicitlyWaived() {
        assertThatThrownBy(() -> Guard.forIssuer(server.issuer()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience");
        try (Guard g = Guard.forIssuer(server.issuer()).anyAudience().clock(clock).backgroundRefresh(false).build()) {
            assertThat(g.authenticate(FakeRequest.bearer(sign("at+jwt", c -> c.audience("anyone")))))
                    .isInstanceOf(Authenticated.class);
        }
    }

    @Test
    void tokenRulesAndFetchSettingsAreRefusedOnAGuardBuiltOnAVerifier() {
        Guard.Builder b = new Tokens().guard();
        Stream.<Runnable>of(() -> b.audience("x"), b::anyAudience, () -> b.type("JWT"), b::anyType,
                () -> b.clockSkew(Duration.ZERO), () -> b.algorithms(Algorithm.RS256),
                () -> b.timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                () -> b.keyCacheBounds(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                () -> b.unknownKeyCooldown(Duration.ZERO), () -> b.serveStaleKeysFor(Duration.ZERO))
                .forEach(setting -> assertThatThrownBy(setting::run).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("JwtVerifier"));
    }

    @Test
    void nonsenseSettingsAreRefusedAtConfiguration() {
        Guard.Builder b = Guard.forIssuer(server.issuer());
        Stream.<Runnable>of(() -> b.algorithms(Algorithm.HS256), () -> b.audience(""), () -> b.type(""),
                () -> b.clockSkew(Duration.ofSeconds(-1)), () -> b.timeouts(Duration.ZERO, Duration.ofSeconds(1)),
                () -> b.keyCacheBounds(Duration.ofMinutes(2), Duration.ofMinutes(1)),
                () -> b.keyCacheBounds(Duration.ZERO, Duration.ofMinutes(1)),
                () -> b.unknownKeyCooldown(Duration.ofSeconds(-1)), () -> b.serveStaleKeysFor(Duration.ofDays(31)))
                .forEach(setting -> assertThatThrownBy(setting::run).isInstanceOf(IllegalArgumentException.class));
    }

    private static Consumer<Claims.Builder> c(Consumer<Claims.Builder> f) {
        return f;
    }
}
