package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the JOSE core's parsers with Jazzer (issue 10): the compact JWS verifier, the JWK and
 * JWKS parsers, the strict JSON reader and the unverified decoder. Each may refuse input only with a
 * {@link JwtException}; anything else thrown (an {@code ArrayIndexOutOfBoundsException}, a {@code StackOverflowError},
 * a JDK exception leaking through) is a finding, and so is a forged token that verifies.
 *
 * <p>In {@code ./mvnw verify} each target runs once per file in {@code src/test/resources/dev/jot/jwt/
 * JoseFuzzTestInputs/<target>/} (the regression inputs, findings included). To fuzz, see the README's "Fuzzing":
 * {@code JAZZER_FUZZ=1 ./mvnw -pl jot-jwt test -Dtest=JoseFuzzTest#<target>}.
 */
class JoseFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Jwk HMAC = Jwk.generate(Algorithm.HS256, "h");
    private static final Jwk EC = Jwk.generate(Algorithm.ES256, "e");
    /** A secret and a public key cannot share a verifier (the JOSE rules): one verifier each. */
    private static final java.util.List<JwtVerifier> VERIFIERS = java.util.List.of(
            JwtVerifier.builder().key(HMAC).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build(),
            JwtVerifier.builder().key(EC.toPublicJwk()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());

    @FuzzTest(maxDuration = "5m")
    void compactJwsIsVerifiedOrRefusedWithAJwtException(FuzzedDataProvider data) {
        String token = data.consumeRemainingAsString();
        for (JwtVerifier verifier : VERIFIERS) {
            try {
                VerifiedJwt jwt = verifier.verify(token);
                throw new AssertionError("a token the fuzzer made verified: " + jwt.header());
            } catch (JwtException refused) {
                assertThat(refused.code()).isNotNull();
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void jwkAndJwksJsonIsParsedOrRefusedWithAJwtException(FuzzedDataProvider data) {
        String json = data.consumeRemainingAsString();
        try {
            Jwk key = Jwk.parse(json);
            assertThat(Jwk.parse(key.toJson())).as("a parsed key serialises to itself").isEqualTo(key);
        } catch (JwtException refused) {
            assertThat(refused.code()).isNotNull();
        }
        try {
            assertThat(Jwks.parseKeyOrSet(json)).isNotNull();
        } catch (JwtException refused) {
            assertThat(refused.code()).isNotNull();
        }
    }

    /**
     * What is read is written in a form that reads back to the same writing. (Not to an equal map: fuzzing found
     * that {@code 2.5E1} reads as a BigDecimal and is written {@code 25}, which reads back as a Long; the value is
     * the same number, so the property is stated on the written form — input finding-integral-value-in-exponent-form.)
     */
    @FuzzTest(maxDuration = "5m")
    void jsonIsReadOrRefusedAndWhatIsReadWritesBackTheSame(byte[] utf8) {
        try {
            Map<String, Object> parsed = Json.parseObject(utf8, Json.DEFAULT_MAX_DEPTH);
            byte[] written = Json.writeBytes(parsed);
            assertThat(Json.writeBytes(Json.parseObject(written, Json.DEFAULT_MAX_DEPTH))).isEqualTo(written);
        } catch (JwtException refused) {
            assertThat(refused.code()).isEqualTo(JwtException.Code.MALFORMED);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void unverifiedDecodingRefusesWithAJwtException(byte[] bytes) {
        try {
            assertThat(Unverified.decode(new String(bytes, StandardCharsets.UTF_8))).isNotNull();
        } catch (JwtException refused) {
            assertThat(refused.code()).isNotNull();
        }
    }
}
