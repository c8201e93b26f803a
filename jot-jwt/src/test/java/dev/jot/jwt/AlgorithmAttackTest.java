package dev.jot.jwt;

import static dev.jot.jwt.Forge.CLAIMS;
import static dev.jot.jwt.Forge.CLOCK;
import static dev.jot.jwt.Forge.assertCode;
import static dev.jot.jwt.Forge.b64;
import static dev.jot.jwt.Forge.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.JwtException.Code;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Attacks on the {@code alg} header: unsecured tokens, HMAC/public-key confusion, and ECDSA range checks. */
class AlgorithmAttackTest {

    // ---- alg: none ----

    static Stream<Arguments> noneVariants() {
        List<Arguments> cases = new ArrayList<>();
        for (Algorithm configured : List.of(Algorithm.HS256, Algorithm.RS256, Algorithm.ES256, Algorithm.EdDSA)) {
            for (String none : List.of("none", "None", "NONE", "nOnE")) {
                cases.add(Arguments.of(configured, none));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "alg {1} with an empty signature is malformed for a {0} verifier")
    @MethodSource("noneVariants")
    void algNoneWithAnEmptySignatureIsRejectedAsMalformed(Algorithm configured, String none) {
        String token = input("{\"alg\":\"" + none + "\"}", CLAIMS) + ".";
        assertCode(() -> Forge.verifier(configured).verify(token), Code.MALFORMED);
    }

    @ParameterizedTest(name = "alg {1} without the final dot is malformed for a {0} verifier")
    @MethodSource("noneVariants")
    void algNoneWithoutTheSignaturePartIsRejectedAsMalformed(Algorithm configured, String none) {
        String token = input("{\"alg\":\"" + none + "\"}", CLAIMS);
        assertCode(() -> Forge.verifier(configured).verify(token), Code.MALFORMED);
    }

    @ParameterizedTest(name = "alg {1} with a non-empty signature is an unsupported algorithm for a {0} verifier")
    @MethodSource("noneVariants")
    void algNoneWithANonEmptySignatureIsAnUnsupportedAlgorithm(Algorithm configured, String none) {
        String header = "{\"alg\":\"" + none + "\",\"kid\":\"k1\"}";
        // Both a junk signature and the genuine signature of a real token whose alg was rewritten to none.
        String real = Forge.signed(configured, CLAIMS);
        String realSignature = real.substring(real.lastIndexOf('.') + 1);
        for (String signature : List.of("AAAA", realSignature)) {
            String token = input(header, CLAIMS) + "." + signature;
            assertCode(() -> Forge.verifier(configured).verify(token), Code.UNSUPPORTED_ALGORITHM);
            assertCode(() -> Forge.verifier(configured).verifySignature(token), Code.UNSUPPORTED_ALGORITHM);
        }
    }

    @ParameterizedTest(name = "alg value {0} is refused as {1}")
    @MethodSource("oddAlgValues")
    void anAlgThatIsNotExactlyARegisteredNameIsRefused(String algJson, Code expected) {
        String input = input("{\"alg\":" + algJson + "}", CLAIMS);
        String token = input + "." + b64(Forge.hmac("HmacSHA256", Forge.secret(Algorithm.HS256), input));
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), expected);
    }

    static Stream<Arguments> oddAlgValues() {
        return Stream.of(
                Arguments.of("\"hs256\"", Code.UNSUPPORTED_ALGORITHM),
                Arguments.of("\"HS256 \"", Code.UNSUPPORTED_ALGORITHM),
                Arguments.of("\"\"", Code.UNSUPPORTED_ALGORITHM),
                Arguments.of("null", Code.MALFORMED),
                Arguments.of("256", Code.MALFORMED),
                Arguments.of("[\"HS256\"]", Code.MALFORMED));
    }

    @Test
    void aTokenWithoutAnAlgHeaderIsMalformed() {
        String token = input("{\"typ\":\"JWT\"}", CLAIMS) + ".AAAA";
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    // ---- HS256 signed with a public key as the HMAC secret ----

    static Stream<Arguments> publicKeysAsSecrets() {
        List<Arguments> cases = new ArrayList<>();
        for (Algorithm asymmetric : List.of(Algorithm.RS256, Algorithm.ES256, Algorithm.PS256, Algorithm.EdDSA)) {
            Jwk pub = Forge.verifyKey(asymmetric);
            PublicKey jca = jcaKey(pub);
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(jca.getEncoded())
                    + "\n-----END PUBLIC KEY-----";
            for (Algorithm hmac : List.of(Algorithm.HS256, Algorithm.HS384, Algorithm.HS512)) {
                cases.add(Arguments.of(asymmetric, hmac, "PEM with final newline", (pem + "\n").getBytes(StandardCharsets.US_ASCII)));
                cases.add(Arguments.of(asymmetric, hmac, "PEM without final newline", pem.getBytes(StandardCharsets.US_ASCII)));
                cases.add(Arguments.of(asymmetric, hmac, "public JWK JSON", pub.toJson().getBytes(StandardCharsets.UTF_8)));
                cases.add(Arguments.of(asymmetric, hmac, "DER SubjectPublicKeyInfo", jca.getEncoded()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} with the {0} public key as {2} is refused")
    @MethodSource("publicKeysAsSecrets")
    void anHmacTokenKeyedWithTheVerifiersPublicKeyIsAnUnsupportedAlgorithm(Algorithm asymmetric, Algorithm hmac,
                                                                         String form, byte[] secret) {
        Jwk pub = Forge.verifyKey(asymmetric);
        for (String header : List.of("{\"alg\":\"" + hmac + "\"}", "{\"alg\":\"" + hmac + "\",\"kid\":\"k1\"}")) {
            String input = input(header, CLAIMS);
            String token = input + "." + b64(Forge.hmac("HmacSHA" + hmac.hashBytes() * 8, secret, input));
            // Configured from the JWK (alg pinned), and from a bare JCA key with every algorithm allowed.
            JwtVerifier pinned = JwtVerifier.builder().key(pub).clock(CLOCK).build();
            JwtVerifier permissive = JwtVerifier.builder().key(Jwk.of(jcaKey(pub))).algorithms(Algorithm.values())
                    .clock(CLOCK).build();
            assertThat(permissive.algorithms()).noneMatch(Algorithm::isSymmetric);
            assertCode(() -> pinned.verify(token), Code.UNSUPPORTED_ALGORITHM);
            assertCode(() -> permissive.verify(token), Code.UNSUPPORTED_ALGORITHM);
        }
    }

    @ParameterizedTest(name = "a {0} public key cannot be configured for HMAC")
    @MethodSource("asymmetricAlgorithms")
    void aPublicKeyCannotBeConfiguredAsAnHmacSecret(Algorithm asymmetric) {
        Jwk bare = Jwk.of(jcaKey(Forge.verifyKey(asymmetric)));
        assertCode(() -> JwtVerifier.builder().key(bare).algorithms(Algorithm.HS256).build(), Code.INVALID_KEY);
    }

    static Stream<Algorithm> asymmetricAlgorithms() {
        return Stream.of(Algorithm.values()).filter(a -> !a.isSymmetric());
    }

    private static PublicKey jcaKey(Jwk pub) {
        return switch (pub) {
            case RsaJwk r -> r.publicKey();
            case EcJwk e -> e.publicKey();
            case OkpJwk o -> o.publicKey();
            case OctJwk o -> throw new IllegalArgumentException("no public key");
        };
    }

    // ---- signatures cut short, padded, or relabelled with a sibling algorithm ----

    @ParameterizedTest(name = "{0}: a truncated or extended signature is a bad signature")
    @EnumSource(Algorithm.class)
    void aTruncatedOrExtendedSignatureIsABadSignature(Algorithm alg) {
        String genuine = Forge.signed(alg, CLAIMS);
        String input = genuine.substring(0, genuine.lastIndexOf('.'));
        byte[] sig = Forge.unb64(genuine.substring(genuine.lastIndexOf('.') + 1));
        List<byte[]> forged = List.of(Arrays.copyOf(sig, 1), Arrays.copyOf(sig, sig.length / 2),
                Arrays.copyOf(sig, sig.length - 1), Arrays.copyOf(sig, sig.length + 1), concat(sig, sig));
        for (byte[] f : forged) {
            String token = input + "." + b64(f);
            assertCode(() -> Forge.verifier(alg).verify(token), Code.BAD_SIGNATURE);
        }
        assertThat(Forge.verifier(alg).verify(genuine).claims().subject()).contains("42");
    }

    static Stream<Arguments> siblingAlgorithms() {
        return Stream.of(
                Arguments.of(Algorithm.RS256, Algorithm.PS256), Arguments.of(Algorithm.PS256, Algorithm.RS256),
                Arguments.of(Algorithm.RS256, Algorithm.RS512), Arguments.of(Algorithm.PS384, Algorithm.PS512),
                Arguments.of(Algorithm.HS512, Algorithm.HS256), Arguments.of(Algorithm.HS256, Algorithm.HS512));
    }

    @ParameterizedTest(name = "a {0} signature relabelled {1} is a bad signature")
    @MethodSource("siblingAlgorithms")
    void aSignatureRelabelledWithASiblingAlgorithmIsABadSignature(Algorithm signedWith, Algorithm claimed) {
        // One key that both algorithms may use: an RSA key without alg, or a 64-byte secret.
        Jwk key = signedWith.isSymmetric() ? OctJwk.of(Forge.secret(Algorithm.HS512))
                : Jwk.of(((RsaJwk) Forge.key(signedWith)).privateKey());
        String input = input("{\"alg\":\"" + claimed + "\"}", CLAIMS);
        String token = input + "." + b64(Forge.rawSign(signedWith, key, input.getBytes(StandardCharsets.US_ASCII)));
        JwtVerifier both = JwtVerifier.builder().key(key).algorithms(signedWith, claimed).clock(CLOCK).build();
        assertThat(both.algorithms()).containsExactlyInAnyOrder(signedWith, claimed);
        assertCode(() -> both.verify(token), Code.BAD_SIGNATURE);
    }

    // ---- ECDSA: r and s outside [1, n-1], wrong lengths (CVE-2022-21449) ----

    static Stream<Arguments> forgedEcdsaSignatures() {
        List<Arguments> cases = new ArrayList<>();
        for (Algorithm alg : List.of(Algorithm.ES256, Algorithm.ES384, Algorithm.ES512)) {
            EcCurve curve = alg.curve().orElseThrow();
            int len = curve.fieldBytes();
            BigInteger n = curve.order();
            byte[] good = goodEcdsaSignature(alg);
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(good, 0, len));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(good, len, 2 * len));
            BigInteger max = BigInteger.ONE.shiftLeft(8 * len).subtract(BigInteger.ONE);
            cases.add(Arguments.of(alg, "r = 0, s = 0", p1363(len, BigInteger.ZERO, BigInteger.ZERO)));
            cases.add(Arguments.of(alg, "r = 0, s valid", p1363(len, BigInteger.ZERO, s)));
            cases.add(Arguments.of(alg, "r valid, s = 0", p1363(len, r, BigInteger.ZERO)));
            cases.add(Arguments.of(alg, "r = n, s valid", p1363(len, n, s)));
            cases.add(Arguments.of(alg, "r valid, s = n", p1363(len, r, n)));
            cases.add(Arguments.of(alg, "r = n, s = n", p1363(len, n, n)));
            cases.add(Arguments.of(alg, "r = n + 1, s = n + 1", p1363(len, n.add(BigInteger.ONE), n.add(BigInteger.ONE))));
            cases.add(Arguments.of(alg, "r = s = all ones", p1363(len, max, max)));
            if (alg == Algorithm.ES512) {
                // Only P-521 leaves room (66 bytes hold 528 bits, 2n < 2^522). Equal to the valid (r, s) modulo n:
                // only a verifier that reduced r and s mod n instead of range-checking them would accept these.
                cases.add(Arguments.of(alg, "r + n, s valid", p1363(len, r.add(n), s)));
                cases.add(Arguments.of(alg, "r valid, s + n", p1363(len, r, s.add(n))));
            }
            cases.add(Arguments.of(alg, "one byte short", Arrays.copyOf(good, good.length - 1)));
            cases.add(Arguments.of(alg, "one leading zero byte too many", concat(new byte[1], good)));
            cases.add(Arguments.of(alg, "ASN.1 DER instead of P1363", der(r, s)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} is a bad signature")
    @MethodSource("forgedEcdsaSignatures")
    void anEcdsaSignatureOutsideTheValidRangeOrLengthIsABadSignature(Algorithm alg, String what, byte[] signature) {
        String token = input(header(alg), CLAIMS) + "." + b64(signature);
        assertCode(() -> Forge.verifier(alg).verify(token), Code.BAD_SIGNATURE);
    }

    @ParameterizedTest(name = "{0}: the untampered P1363 signature verifies")
    @MethodSource("ecdsaAlgorithms")
    void theValidEcdsaSignatureTheForgeriesStartFromVerifies(Algorithm alg) {
        String token = input(header(alg), CLAIMS) + "." + b64(goodEcdsaSignature(alg));
        assertThat(Forge.verifier(alg).verify(token).claims().subject()).contains("42");
    }

    static Stream<Algorithm> ecdsaAlgorithms() {
        return Stream.of(Algorithm.ES256, Algorithm.ES384, Algorithm.ES512);
    }

    private static String header(Algorithm alg) {
        return "{\"alg\":\"" + alg + "\",\"kid\":\"k1\"}";
    }

    private static byte[] goodEcdsaSignature(Algorithm alg) {
        return Forge.rawSign(alg, Forge.key(alg), input(header(alg), CLAIMS).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] p1363(int len, BigInteger r, BigInteger s) {
        return concat(fixed(r, len), fixed(s, len));
    }

    private static byte[] fixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** SEQUENCE { INTEGER r, INTEGER s }, the encoding JCA's plain "SHA256withECDSA" would produce. */
    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] ri = r.toByteArray();
        byte[] si = s.toByteArray();
        byte[] body = concat(concat(new byte[] {0x02}, concat(derLength(ri.length), ri)),
                concat(new byte[] {0x02}, concat(derLength(si.length), si)));
        return concat(concat(new byte[] {0x30}, derLength(body.length)), body);
    }

    private static byte[] derLength(int len) {
        return len < 128 ? new byte[] {(byte) len} : new byte[] {(byte) 0x81, (byte) len};
    }
}
