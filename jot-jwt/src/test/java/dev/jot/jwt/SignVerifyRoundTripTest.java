package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignVerifyRoundTripTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aTokenSignedWithAGeneratedKeyVerifiesWithItsPublicHalf(Algorithm alg) {
        Jwk key = Jwk.generate(alg, "k1");
        String token = JwtSigner.builder(key).build().sign(Claims.builder()
                .issuer("https://issuer.example").subject("42").audience("api")
                .expiresAt(NOW.plusSeconds(300)).claim("roles", java.util.List.of("admin")).build());

        Jwk verifyKey = key instanceof OctJwk ? key : key.toPublicJwk();
        VerifiedJwt jwt = JwtVerifier.builder().key(verifyKey).clock(CLOCK)
                .issuer("https://issuer.example").audience("api").build().verify(token);

        assertThat(jwt.header().alg()).isEqualTo(alg);
        assertThat(jwt.header().kid()).isEqualTo("k1");
        assertThat(jwt.claims().subject()).contains("42");
        assertThat(jwt.claims().getStringList("roles")).containsExactly("admin");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aTokenWithAnExpiryInThePastBeyondTheSkewIsExpired(Algorithm alg) {
        Jwk key = Jwk.generate(alg, null);
        String token = JwtSigner.builder(key).build()
                .sign(Claims.builder().expiresAt(NOW.minus(Duration.ofSeconds(61))).build());
        Jwk verifyKey = key instanceof OctJwk ? key : key.toPublicJwk();
        assertThatThrownBy(() -> JwtVerifier.builder().key(verifyKey).clock(CLOCK).build().verify(token))
                .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(JwtException.Code.EXPIRED));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void keysSurviveAJsonRoundTrip(Algorithm alg) {
        Jwk key = Jwk.generate(alg, "rt");
        Jwk again = Jwk.parse(key.toJson());
        assertThat(again).isEqualTo(key);
        assertThat(again.thumbprint()).isEqualTo(key.thumbprint());
        if (!(key instanceof OctJwk)) {
            assertThat(Jwk.parse(key.toPublicJwk().toJson()).isPrivate()).isFalse();
        }
    }
}
