package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties checked with jqwik over generated inputs: base64url is the RFC 4648 §5 unpadded encoding and
 * round-trips, every algorithm signs and verifies arbitrary claims, and no single changed character of a
 * signed token is ever accepted. One key per algorithm is generated once ({@link Forge#key}).
 */
class PropertiesTest {

    /** One verifier per algorithm, shared across tries so its header memo is exercised too. */
    private static final Map<Algorithm, JwtVerifier> VERIFIERS = new EnumMap<>(Algorithm.class);
    /** One genuine token per algorithm, the starting point for the bit flips. */
    private static final Map<Algorithm, String> TOKENS = new EnumMap<>(Algorithm.class);

    private static synchronized JwtVerifier verifier(Algorithm alg) {
        return VERIFIERS.computeIfAbsent(alg, a -> JwtVerifier.builder().key(Forge.verifyKey(a)).clock(Forge.CLOCK)
                .requireClaims("sub").build());
    }

    private static synchronized String token(Algorithm alg) {
        return TOKENS.computeIfAbsent(alg, a -> JwtSigner.builder(Forge.key(a)).build().sign(Claims.builder()
                .subject("42").issuer("https://issuer.example").expiresAt(Forge.NOW.plusSeconds(300)).build()));
    }

    // ---- base64url ----

    @Property(tries = 2000)
    void base64urlEncodingEqualsTheJdkUnpaddedUrlEncoderAndRoundTrips(@ForAll @Size(max = 200) byte[] data) {
        String encoded = Base64Url.encode(data);
        assertThat(encoded).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
        assertThat(Base64Url.encodedLength(data.length)).isEqualTo(encoded.length());
        assertThat(Base64Url.decode(encoded)).isEqualTo(data);
    }

    @Property(tries = 2000)
    void anyStringThatDecodesIsTheCanonicalEncodingOfItsBytes(@ForAll("base64ish") String text) {
        Throwable failure = catchThrowable(() -> Base64Url.decode(text));
        if (failure == null) {
            assertThat(Base64Url.encode(Base64Url.decode(text))).isEqualTo(text);
        } else {
            assertThat(failure).isInstanceOfSatisfying(JwtException.class,
                    e -> assertThat(e.code()).isEqualTo(JwtException.Code.MALFORMED));
        }
    }

    @Provide
    Arbitrary<String> base64ish() {
        return Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\n")
                .ofMaxLength(40);
    }

    // ---- sign -> verify ----

    @Property(tries = 25)
    void everyAlgorithmVerifiesWhatItSigned(@ForAll("claims") Claims claims) {
        for (Algorithm alg : Algorithm.values()) {
            String token = JwtSigner.builder(Forge.key(alg)).build().sign(claims);
            VerifiedJwt jwt = verifier(alg).verify(token);
            assertThat(jwt.header().alg()).isEqualTo(alg);
            assertThat(jwt.claims().asMap()).isEqualTo(claims.asMap());
        }
    }

    @Property(tries = 500)
    void hmacVerifiesWhatItSigned(@ForAll("claims") Claims claims, @ForAll("hmac") Algorithm alg) {
        String token = JwtSigner.builder(Forge.key(alg)).build().sign(claims);
        assertThat(verifier(alg).verify(token).claims()).isEqualTo(claims);
    }

    @Provide
    Arbitrary<Algorithm> hmac() {
        return Arbitraries.of(Algorithm.HS256, Algorithm.HS384, Algorithm.HS512);
    }

    @Provide
    Arbitrary<Claims> claims() {
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange('\u0000', '\u00ff').withCharRange('\u4e00', '\u4e2f').withChars('€', '\u2028')
                .ofMaxLength(24);
        Arbitrary<String> names = text.filter(n -> !List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti").contains(n));
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text.map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
                Arbitraries.just(null),
                text.list().ofMaxSize(3).map(l -> (Object) l),
                Arbitraries.maps(names, text).ofMaxSize(3).map(m -> (Object) m),
                Arbitraries.of("\uD83D\uDE00", "\uD834\uDD1E").map(s -> (Object) s)); // surrogate pairs, whole
        Arbitrary<Map<String, Object>> custom = Arbitraries.maps(names, scalar).ofMaxSize(5);
        return Combinators.combine(text, text.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.longs().between(1, 10L * 365 * 24 * 3600), Arbitraries.longs().between(0, 3600), custom)
                .as((sub, aud, expIn, nbfAgo, extra) -> {
                    Map<String, Object> ordered = new LinkedHashMap<>(extra);
                    return Claims.builder().subject(sub).audience(aud)
                            .expiresAt(Forge.NOW.plusSeconds(expIn))
                            .notBefore(Forge.NOW.minus(Duration.ofSeconds(nbfAgo)))
                            .issuedAt(Forge.NOW.minus(Duration.ofSeconds(nbfAgo)))
                            .claims(ordered).build();
                });
    }

    // ---- any single changed character fails ----

    @Property(tries = 1000)
    void changingOneBitOfOneCharacterOfASignedTokenFailsVerification(
            @ForAll Algorithm alg, @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(max = 15) int bit) {
        String token = token(alg);
        int index = where % token.length();
        char flipped = (char) (token.charAt(index) ^ (1 << bit));
        String tampered = token.substring(0, index) + flipped + token.substring(index + 1);
        assertThat(tampered).isNotEqualTo(token);

        Throwable failure = catchThrowable(() -> verifier(alg).verify(tampered));
        assertThat(failure).as("%s with char %d bit %d flipped", alg, index, bit).isInstanceOf(JwtException.class);
        // The shared verifier still accepts the genuine token afterwards.
        assertThat(verifier(alg).verify(token).claims().subject()).contains("42");
    }
}
