package dev.jot.jwt;

import static dev.jot.jwt.Forge.NOW;
import static dev.jot.jwt.Forge.NOW_S;
import static dev.jot.jwt.Forge.assertClaimFailure;
import static dev.jot.jwt.Forge.assertCode;
import static dev.jot.jwt.Forge.b64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.JwtException.Code;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Attacks on the claims policy: wrong types, time boundaries, audience/issuer/type, weak keys, check order. */
class ClaimsAttackTest {

    private static final String HS256 = "{\"alg\":\"HS256\",\"kid\":\"k1\"}";
    private static final long EXP = NOW_S + 300;

    private static String token(String claims) {
        return Forge.signed(Algorithm.HS256, HS256, claims);
    }

    private static JwtVerifier.Builder verifier() {
        return JwtVerifier.builder().key(Forge.verifyKey(Algorithm.HS256)).clock(Forge.CLOCK);
    }

    // ---- registered claims with the wrong type ----

    @ParameterizedTest(name = "{0} = {1} is an invalid claim")
    @MethodSource("wronglyTypedClaims")
    void aRegisteredClaimOfTheWrongTypeIsInvalidAndNamed(String claim, String json) {
        String claims = claim.equals("exp")
                ? "{\"sub\":\"42\",\"exp\":" + json + "}"
                : "{\"exp\":" + EXP + ",\"" + claim + "\":" + json + "}";
        String t = token(claims);
        assertClaimFailure(() -> verifier().build().verify(t), Code.CLAIM_INVALID, claim);
    }

    static Stream<Arguments> wronglyTypedClaims() {
        return Stream.of(
                Arguments.of("exp", "\"" + EXP + "\""),
                Arguments.of("exp", "\"2026-11-24T12:05:00Z\""),
                Arguments.of("exp", "null"),
                Arguments.of("exp", "true"),
                Arguments.of("exp", "[" + EXP + "]"),
                Arguments.of("exp", "{\"t\":" + EXP + "}"),
                Arguments.of("exp", "1e400"),
                Arguments.of("exp", "99999999999999999999999999"),
                Arguments.of("nbf", "\"" + NOW_S + "\""),
                Arguments.of("iat", "\"" + NOW_S + "\""),
                Arguments.of("iss", "42"),
                Arguments.of("sub", "42"),
                Arguments.of("jti", "[\"a\"]"),
                Arguments.of("aud", "42"),
                Arguments.of("aud", "[\"api\",42]"));
    }

    @Test
    void aStringExpIsInvalidEvenWhenExpirationIsNotRequired() {
        String t = token("{\"exp\":\"" + EXP + "\"}");
        assertClaimFailure(() -> verifier().requireExpiration(false).build().verify(t), Code.CLAIM_INVALID, "exp");
    }

    @Test
    void aMissingExpIsAMissingClaim() {
        String t = token("{\"sub\":\"42\"}");
        assertClaimFailure(() -> verifier().build().verify(t), Code.CLAIM_MISSING, "exp");
        assertThat(verifier().requireExpiration(false).build().verify(t).claims().subject()).contains("42");
    }

    // ---- exp and nbf at the boundary (valid iff now < exp + skew; nbf valid iff now + skew >= nbf) ----

    @ParameterizedTest(name = "exp = now {0}s, skew {1}s, clock +{2}ms -> {3}")
    @MethodSource("expiryBoundaries")
    void expiryIsDecidedExactlyAtTheBoundary(long expOffset, long skew, long clockMillis, Code expected) {
        String t = token("{\"sub\":\"42\",\"exp\":" + (NOW_S + expOffset) + "}");
        JwtVerifier v = verifier().clock(Clock.fixed(NOW.plusMillis(clockMillis), ZoneOffset.UTC))
                .clockSkew(Duration.ofSeconds(skew)).build();
        expect(v, t, expected, "exp");
    }

    static Stream<Arguments> expiryBoundaries() {
        return Stream.of(
                Arguments.of(0L, 0L, 0L, Code.EXPIRED),          // now == exp
                Arguments.of(1L, 0L, 0L, null),                  // one second left
                Arguments.of(1L, 0L, 999L, null),                // one millisecond left
                Arguments.of(1L, 0L, 1000L, Code.EXPIRED),       // exactly at exp
                Arguments.of(-1L, 0L, 0L, Code.EXPIRED),
                Arguments.of(-60L, 60L, 0L, Code.EXPIRED),       // now == exp + skew
                Arguments.of(-59L, 60L, 0L, null),               // inside the skew
                Arguments.of(-60L, 60L, -1L, null),              // a millisecond inside the skew
                Arguments.of(-61L, 60L, 0L, Code.EXPIRED),
                Arguments.of(0L, 60L, 0L, null));                // the default-like skew covers now == exp
    }

    @ParameterizedTest(name = "nbf = now +{0}s, skew {1}s, clock +{2}ms -> {3}")
    @MethodSource("notBeforeBoundaries")
    void notBeforeIsDecidedExactlyAtTheBoundary(long nbfOffset, long skew, long clockMillis, Code expected) {
        String t = token("{\"sub\":\"42\",\"exp\":" + (NOW_S + 3600) + ",\"nbf\":" + (NOW_S + nbfOffset) + "}");
        JwtVerifier v = verifier().clock(Clock.fixed(NOW.plusMillis(clockMillis), ZoneOffset.UTC))
                .clockSkew(Duration.ofSeconds(skew)).build();
        expect(v, t, expected, "nbf");
    }

    static Stream<Arguments> notBeforeBoundaries() {
        return Stream.of(
                Arguments.of(0L, 0L, 0L, null),                  // now == nbf
                Arguments.of(1L, 0L, 0L, Code.NOT_YET_VALID),
                Arguments.of(1L, 0L, 999L, Code.NOT_YET_VALID),  // a millisecond early
                Arguments.of(1L, 0L, 1000L, null),
                Arguments.of(60L, 60L, 0L, null),                // now + skew == nbf
                Arguments.of(61L, 60L, 0L, Code.NOT_YET_VALID),
                Arguments.of(61L, 60L, 1000L, null),
                Arguments.of(-1L, 0L, 0L, null));
    }

    @Test
    void theDefaultClockSkewIsSixtySeconds() {
        assertThat(JwtVerifier.DEFAULT_CLOCK_SKEW).isEqualTo(Duration.ofSeconds(60));
        String expired = token("{\"exp\":" + (NOW_S - 60) + "}");
        String justValid = token("{\"exp\":" + (NOW_S - 59) + "}");
        assertClaimFailure(() -> verifier().build().verify(expired), Code.EXPIRED, "exp");
        assertThat(verifier().build().verify(justValid).claims().expiresAt()).contains(Instant.ofEpochSecond(NOW_S - 59));
    }

    private static void expect(JwtVerifier v, String t, Code expected, String claim) {
        if (expected == null) {
            assertThat(v.verify(t).claims().subject()).contains("42");
        } else {
            assertClaimFailure(() -> v.verify(t), expected, claim);
        }
    }

    // ---- aud, iss, typ ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyViolations")
    void aTokenForSomeoneElseIsRefusedNamingTheClaim(String what, String header, String claims, Code code, String claim) {
        String t = Forge.signed(Algorithm.HS256, header, claims);
        JwtVerifier v = verifier().issuer("https://issuer.example").audience("orders-api").type("at+jwt").build();
        assertClaimFailure(() -> v.verify(t), code, claim);
    }

    static Stream<Arguments> policyViolations() {
        String at = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"at+jwt\"}";
        String ok = "\"iss\":\"https://issuer.example\",\"aud\":\"orders-api\",\"exp\":" + EXP;
        String noAud = "\"iss\":\"https://issuer.example\",\"exp\":" + EXP;
        String noIss = "\"aud\":\"orders-api\",\"exp\":" + EXP;
        return Stream.of(
                Arguments.of("wrong aud", at, "{" + noAud + ",\"aud\":\"billing-api\"}", Code.CLAIM_INVALID, "aud"),
                Arguments.of("wrong aud array", at, "{" + noAud + ",\"aud\":[\"a\",\"b\"]}", Code.CLAIM_INVALID, "aud"),
                Arguments.of("aud differing in case", at, "{" + noAud + ",\"aud\":\"Orders-API\"}", Code.CLAIM_INVALID, "aud"),
                Arguments.of("empty aud array", at, "{" + noAud + ",\"aud\":[]}", Code.CLAIM_INVALID, "aud"),
                Arguments.of("missing aud", at, "{" + noAud + "}", Code.CLAIM_MISSING, "aud"),
                Arguments.of("wrong iss", at, "{" + noIss + ",\"iss\":\"https://evil.example\"}", Code.CLAIM_INVALID, "iss"),
                Arguments.of("iss with a trailing slash", at, "{" + noIss + ",\"iss\":\"https://issuer.example/\"}", Code.CLAIM_INVALID, "iss"),
                Arguments.of("iss differing in case", at, "{" + noIss + ",\"iss\":\"HTTPS://ISSUER.EXAMPLE\"}", Code.CLAIM_INVALID, "iss"),
                Arguments.of("missing iss", at, "{" + noIss + "}", Code.CLAIM_MISSING, "iss"),
                Arguments.of("typ JWT where at+jwt is expected", "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}", "{" + ok + "}", Code.CLAIM_INVALID, "typ"),
                Arguments.of("typ id_token+jwt", "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"application/id_token+jwt\"}", "{" + ok + "}", Code.CLAIM_INVALID, "typ"),
                Arguments.of("missing typ", HS256, "{" + ok + "}", Code.CLAIM_INVALID, "typ"));
    }

    @ParameterizedTest(name = "typ {0} is accepted for at+jwt")
    @ValueSource(strings = {"at+jwt", "AT+JWT", "application/at+jwt", "Application/At+Jwt"})
    void theExpectedTypeMatchesAsRfc7515Says(String typ) {
        String t = Forge.signed(Algorithm.HS256, "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"" + typ + "\"}",
                "{\"iss\":\"https://issuer.example\",\"aud\":[\"x\",\"orders-api\"],\"exp\":" + EXP + "}");
        JwtVerifier v = verifier().issuer("https://issuer.example").audience("orders-api").type("at+jwt").build();
        assertThat(v.verify(t).claims().audience()).containsExactly("x", "orders-api");
    }

    @ParameterizedTest(name = "types(at+jwt, JWT) and typ {0}: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"at+jwt, true", "JWT, true", "jwt, true", "application/jwt, true",
            "id_token+jwt, false", "'', false"})
    void eitherOfTwoTypesIsAcceptedAndNothingElse(String typ, boolean accepted) {
        String header = typ.isEmpty() ? HS256 : "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"" + typ + "\"}";
        String t = Forge.signed(Algorithm.HS256, header, "{\"iss\":\"https://issuer.example\",\"exp\":" + EXP + "}");
        JwtVerifier v = verifier().issuer("https://issuer.example").types("at+jwt", "JWT").build();
        if (accepted) {
            assertThat(v.verify(t).claims().issuer()).hasValue("https://issuer.example");
        } else {
            assertClaimFailure(() -> v.verify(t), Code.CLAIM_INVALID, "typ");
        }
    }

    // ---- HMAC keys shorter than the hash are refused at build time ----

    @Test
    void aThirtyOneByteHmacKeyIsRefusedWhenBuilt() {
        assertCode(() -> OctJwk.of(new byte[31]), Code.INVALID_KEY);
        assertCode(() -> Jwk.of(new SecretKeySpec(new byte[16], "HmacSHA256")), Code.INVALID_KEY);
        assertCode(() -> JwtVerifier.builder().key(new SecretKeySpec(new byte[31], "HmacSHA256")), Code.INVALID_KEY);
        assertThat(OctJwk.of(new byte[32]).length()).isEqualTo(32);
    }

    @Test
    void anEmptyHmacKeyIsAnInvalidKeyNotAnIllegalArgument() {
        assertCode(() -> OctJwk.of(new byte[0]), Code.INVALID_KEY);
    }

    @ParameterizedTest(name = "JWK {0} is an invalid key")
    @MethodSource("shortHmacJwks")
    void aShortHmacJwkIsRefusedWhenParsed(String json) {
        assertCode(() -> Jwk.parse(json), Code.INVALID_KEY);
    }

    static Stream<String> shortHmacJwks() {
        return Stream.of(
                "{\"kty\":\"oct\",\"k\":\"" + b64(new byte[31]) + "\"}",
                "{\"kty\":\"oct\",\"k\":\"" + b64(new byte[1]) + "\"}",
                "{\"kty\":\"oct\",\"k\":\"\"}",
                "{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + b64(new byte[31]) + "\"}",
                "{\"kty\":\"oct\",\"alg\":\"HS384\",\"k\":\"" + b64(new byte[47]) + "\"}",
                "{\"kty\":\"oct\",\"alg\":\"HS512\",\"k\":\"" + b64(new byte[63]) + "\"}",
                "{\"kty\":\"oct\",\"alg\":\"HS512\",\"k\":\"" + b64(new byte[32]) + "\"}");
    }

    @ParameterizedTest(name = "a 32-byte key is refused for {0}")
    @ValueSource(strings = {"HS384", "HS512"})
    void aKeyShorterThanTheChosenHashIsRefusedBySignerAndVerifier(Algorithm alg) {
        OctJwk key = OctJwk.of(new byte[32]);
        assertCode(() -> JwtVerifier.builder().key(key).algorithms(alg).build(), Code.INVALID_KEY);
        assertCode(() -> JwtSigner.builder(key).algorithm(alg).build(), Code.INVALID_KEY);
    }

    // ---- check order: the signature is checked before any claim ----

    @ParameterizedTest(name = "bad signature over {0} is BAD_SIGNATURE")
    @MethodSource("claimsThatWouldFail")
    void aWrongSignatureIsReportedBeforeAnyClaimProblem(String what, String claims) {
        String genuine = token(claims);
        // Same header and payload, signature from another key of the same size.
        String input = genuine.substring(0, genuine.lastIndexOf('.'));
        String forged = input + "." + b64(Forge.hmac("HmacSHA256", new byte[32], input));
        JwtVerifier v = verifier().issuer("https://issuer.example").audience("orders-api").build();
        assertCode(() -> v.verify(forged), Code.BAD_SIGNATURE);
    }

    static Stream<Arguments> claimsThatWouldFail() {
        return Stream.of(
                Arguments.of("an expired token", "{\"iss\":\"https://issuer.example\",\"aud\":\"orders-api\",\"exp\":" + (NOW_S - 3600) + "}"),
                Arguments.of("a not-yet-valid token", "{\"iss\":\"https://issuer.example\",\"aud\":\"orders-api\",\"exp\":" + EXP + ",\"nbf\":" + (NOW_S + 3000) + "}"),
                Arguments.of("a string exp", "{\"iss\":\"https://issuer.example\",\"aud\":\"orders-api\",\"exp\":\"soon\"}"),
                Arguments.of("a missing exp", "{\"iss\":\"https://issuer.example\",\"aud\":\"orders-api\"}"),
                Arguments.of("a wrong audience", "{\"iss\":\"https://issuer.example\",\"aud\":\"other\",\"exp\":" + EXP + "}"),
                Arguments.of("duplicate claims", "{\"exp\":1,\"exp\":" + EXP + "}"),
                Arguments.of("a payload that is not JSON", "not json at all"));
    }

    @Test
    void anExpiredTokenWithTheRightSignatureIsExpired() {
        String t = token("{\"exp\":" + (NOW_S - 3600) + "}");
        assertClaimFailure(() -> verifier().build().verify(t), Code.EXPIRED, "exp");
    }

    @Test
    void anUnknownKidIsReportedBeforeExpiry() {
        String t = Forge.signed(Algorithm.HS256, "{\"alg\":\"HS256\",\"kid\":\"nope\"}", "{\"exp\":" + (NOW_S - 3600) + "}");
        assertCode(() -> verifier().build().verify(t), Code.KEY_NOT_FOUND);
    }
}
