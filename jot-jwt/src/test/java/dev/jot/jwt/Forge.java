package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Test-only forgery kit: builds compact tokens from raw JSON text and signs them with plain JCA, so hostile
 * tokens (duplicate members, odd headers, bad encodings) can be made that Jot's own signer would refuse to make.
 * It deliberately uses {@link java.util.Base64}, not Jot's encoder, so the tests do not trust the code under test.
 */
final class Forge {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final long NOW_S = NOW.getEpochSecond();
    /** A claims set that passes the default policy at {@link #NOW}. */
    static final String CLAIMS = "{\"sub\":\"42\",\"exp\":" + (NOW_S + 300) + "}";

    private static final Map<Algorithm, Jwk> KEYS = new EnumMap<>(Algorithm.class);

    private Forge() {
    }

    /** One generated private key per algorithm (kid "k1"), made once per JVM: RSA generation is slow. */
    static synchronized Jwk key(Algorithm alg) {
        return KEYS.computeIfAbsent(alg, a -> Jwk.generate(a, "k1"));
    }

    /** The verification half of {@link #key}: the public JWK, or the secret itself for HMAC. */
    static Jwk verifyKey(Algorithm alg) {
        Jwk k = key(alg);
        return k instanceof OctJwk ? k : k.toPublicJwk();
    }

    /** A verifier for {@link #key}{@code (alg)} at the fixed clock, with the default policy. */
    static JwtVerifier verifier(Algorithm alg) {
        return JwtVerifier.builder().key(verifyKey(alg)).clock(CLOCK).build();
    }

    /** The raw secret of the HMAC key for {@code alg}. */
    static byte[] secret(Algorithm alg) {
        return ((OctJwk) key(alg)).secret().getEncoded();
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] unb64(String part) {
        return Base64.getUrlDecoder().decode(part);
    }

    /** {@code b64(header).b64(payload)}: the JWS signing input. */
    static String input(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson);
    }

    /** A token whose signature is computed by raw JCA with {@link #key}{@code (alg)} over whatever JSON is given. */
    static String signed(Algorithm alg, String headerJson, String payloadJson) {
        String input = input(headerJson, payloadJson);
        return input + "." + b64(rawSign(alg, key(alg), input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@link #signed} with header {@code {"alg":ALG,"kid":"k1"}}. */
    static String signed(Algorithm alg, String payloadJson) {
        return signed(alg, "{\"alg\":\"" + alg.jwsName() + "\",\"kid\":\"k1\"}", payloadJson);
    }

    /** HMAC over {@code input} with any bytes as the secret, exactly as a careless verifier would compute it. */
    static byte[] hmac(String jcaName, byte[] secret, String input) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(secret, jcaName));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs with plain JCA: the JWS encodings of RFC 7518 (P1363 for ECDSA, PSS salt = hash length). */
    static byte[] rawSign(Algorithm alg, Jwk key, byte[] input) {
        try {
            return switch (key) {
                case OctJwk o -> hmac("Hmac" + "SHA" + alg.hashBytes() * 8, o.secret().getEncoded(),
                        new String(input, StandardCharsets.US_ASCII));
                case RsaJwk r -> jca(alg, r.privateKey(), input);
                case EcJwk e -> jca(alg, e.privateKey(), input);
                case OkpJwk o -> jca(alg, o.privateKey(), input);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] jca(Algorithm alg, PrivateKey key, byte[] input) throws GeneralSecurityException {
        int bits = alg.hashBytes() * 8;
        Signature s = switch (alg.family()) {
            case RSA -> Signature.getInstance("SHA" + bits + "withRSA");
            case RSA_PSS -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                MGF1ParameterSpec mgf = new MGF1ParameterSpec("SHA-" + bits);
                pss.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", mgf, alg.hashBytes(), 1));
                yield pss;
            }
            case ECDSA -> Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
            case EDDSA -> Signature.getInstance("Ed25519");
            case HMAC -> throw new IllegalArgumentException("HMAC is not a JCA signature");
        };
        s.initSign(key);
        s.update(input);
        return s.sign();
    }

    /** Runs {@code call}, which must throw a {@link JwtException}, and returns it for code/claim assertions. */
    static JwtException failure(ThrowingCallable call) {
        JwtException e = catchThrowableOfType(JwtException.class, call);
        assertThat(e).as("expected a JwtException").isNotNull();
        return e;
    }

    /** Asserts that {@code call} throws a {@link JwtException} with exactly {@code code}. */
    static void assertCode(ThrowingCallable call, JwtException.Code code) {
        JwtException e = failure(call);
        assertThat(e.code()).as("code (message: %s)", e.getMessage()).isEqualTo(code);
    }

    /** Asserts that {@code call} throws a {@link JwtException} with exactly {@code code} naming {@code claim}. */
    static void assertClaimFailure(ThrowingCallable call, JwtException.Code code, String claim) {
        JwtException e = failure(call);
        assertThat(e.code()).as("code (message: %s)", e.getMessage()).isEqualTo(code);
        assertThat(e.claim()).as("claim").contains(claim);
    }
}
