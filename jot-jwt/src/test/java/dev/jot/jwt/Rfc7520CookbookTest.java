package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jot.jwt.JwtException.Code;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JOSE cookbook (RFC 7520, JSON form from ietf-jose/cookbook) plus its RFC 7797 and RFC 8037 examples.
 *
 * <p>§3 keys: 3.1–3.5 parse, write back exactly the members they were read from, round-trip, have the public
 * forms and RFC 7638 thumbprints one expects. 3.6 is an AES-256-GCM encryption key ({@code use: enc},
 * {@code alg: A256GCM}): Jot only signs, so it is refused as a JWK and skipped inside a JWK set (RFC 7517 §5).
 *
 * <p>§4 compact JWS: 4.1–4.4 verify; the deterministic ones (4.1 RS256, 4.4 HS256, and RFC 8037's Ed25519
 * example) sign byte-for-byte identically with {@link JwtSigner} ({@code type(null)}: the cookbook headers
 * are {@code {"alg", "kid"}} in that order, which is the order the signer writes). PS384 (4.2) and ES512 (4.3)
 * are randomised: the signer reproduces their protected header exactly and its token verifies. 4.5 (detached
 * content): Jot has no detached-payload API; re-attaching the payload gives exactly 4.4's token, and the
 * detached token itself reads as an empty payload and fails as {@code BAD_SIGNATURE}.
 *
 * <p>Not run: 4.6–4.8 and the {@code json}/{@code json_flat} outputs (JWS JSON serialisation, which Jot does
 * not implement: compact only), §5 and §6 (JWE), the X25519/X448 examples (key agreement). RFC 7797
 * {@code b64=false} is not supported: such a token (it carries {@code crit: ["b64"]}) is refused.
 */
class Rfc7520CookbookTest {

    private static JsonNode cookbook(String path) {
        return VectorFiles.json("rfc7520/" + path);
    }

    private static Jwk key(JsonNode example) {
        return Jwk.parse(example.get("input").get("key").toString());
    }

    private static Jwk verifyKey(Jwk key) {
        return key instanceof OctJwk ? key : key.toPublicJwk();
    }

    // ---- §3 JWKs ----

    @ParameterizedTest
    @CsvSource({
        "3_1.ec_public_key.json, EC, false",
        "3_2.ec_private_key.json, EC, true",
        "3_3.rsa_public_key.json, RSA, false",
        "3_4.rsa_private_key.json, RSA, true",
        "3_5.symmetric_key_mac_computation.json, oct, true",
    })
    void aCookbookKeyParsesAndWritesBackExactlyItsMembers(String file, String kty, boolean isPrivate) {
        JsonNode json = cookbook("jwk/" + file);
        Jwk jwk = Jwk.parse(json.toString());

        assertThat(jwk.kty()).isEqualTo(kty);
        assertThat(jwk.isPrivate()).isEqualTo(isPrivate);
        assertThat(jwk.kid()).isEqualTo(json.get("kid").asText());
        assertThat(jwk.use()).isEqualTo("sig");
        assertThat(VectorFiles.tree(jwk.toJson())).isEqualTo(json);
        assertThat(Jwk.parse(jwk.toJson())).isEqualTo(jwk);
    }

    @ParameterizedTest
    @CsvSource({
        "3_2.ec_private_key.json, 3_1.ec_public_key.json",
        "3_4.rsa_private_key.json, 3_3.rsa_public_key.json",
    })
    void thePublicFormOfAPrivateCookbookKeyIsItsPublicCookbookKey(String privateFile, String publicFile) {
        Jwk privateKey = Jwk.parse(cookbook("jwk/" + privateFile).toString());
        JsonNode publicJson = cookbook("jwk/" + publicFile);

        Jwk publicForm = privateKey.toPublicJwk();
        assertThat(publicForm.isPrivate()).isFalse();
        assertThat(VectorFiles.tree(publicForm.toJson())).isEqualTo(publicJson);
        assertThat(publicForm).isEqualTo(Jwk.parse(publicJson.toString()));
        assertThat(privateKey.thumbprint()).isEqualTo(publicForm.thumbprint());
    }

    @ParameterizedTest
    @CsvSource({
        "3_1.ec_public_key.json, crv kty x y",
        "3_2.ec_private_key.json, crv kty x y",
        "3_3.rsa_public_key.json, e kty n",
        "3_4.rsa_private_key.json, e kty n",
        "3_5.symmetric_key_mac_computation.json, k kty",
    })
    void theThumbprintIsTheSha256OfTheRequiredMembersInOrder(String file, String requiredMembers) throws Exception {
        JsonNode json = cookbook("jwk/" + file);
        // RFC 7638 §3: the required members, lexicographic order, no whitespace; written here by hand.
        String canonical = List.of(requiredMembers.split(" ")).stream()
                .map(m -> "\"" + m + "\":\"" + json.get(m).asText() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));

        assertThat(Jwk.parse(json.toString()).thumbprint())
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
    }

    @Test
    void theHmacKeyIsRestrictedToHs256AndHasNoPublicForm() {
        Jwk hmac = Jwk.parse(cookbook("jwk/3_5.symmetric_key_mac_computation.json").toString());
        assertThat(hmac).isInstanceOf(OctJwk.class);
        assertThat(hmac.alg()).isEqualTo(Algorithm.HS256);
        assertThat(((OctJwk) hmac).length()).isEqualTo(32);
        assertThatThrownBy(hmac::toPublicJwk).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theAesEncryptionKeyIsRefusedAsAJwkAndSkippedInASet() {
        JsonNode aes = cookbook("jwk/3_6.symmetric_key_encryption.json");
        JsonNode hmac = cookbook("jwk/3_5.symmetric_key_mac_computation.json");
        assertThat(aes.get("use").asText()).isEqualTo("enc");
        assertThat(aes.get("alg").asText()).isEqualTo("A256GCM");

        assertThatThrownBy(() -> Jwk.parse(aes.toString()))
                .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_KEY));
        Jwks set = Jwks.parse("{\"keys\":[" + hmac + "," + aes + "]}");
        assertThat(set.keys()).containsExactly(Jwk.parse(hmac.toString()));
    }

    // ---- §4 compact JWS ----

    @ParameterizedTest
    @ValueSource(strings = {
        "4_1.rsa_v15_signature.json",
        "4_2.rsa-pss_signature.json",
        "4_3.ecdsa_signature.json",
        "4_4.hmac-sha2_integrity_protection.json",
    })
    void aCookbookCompactSignatureVerifies(String file) {
        JsonNode example = cookbook("jws/" + file);
        Algorithm alg = Algorithm.fromJws(example.get("input").get("alg").asText()).orElseThrow();
        JwtVerifier verifier = JwtVerifier.builder().key(verifyKey(key(example))).algorithms(alg).build();

        VerifiedJws jws = verifier.verifySignature(example.get("output").get("compact").asText());

        assertThat(new String(jws.payload(), StandardCharsets.UTF_8))
                .isEqualTo(example.get("input").get("payload").asText());
        assertThat(jws.header().alg()).isEqualTo(alg);
        assertThat(jws.header().kid()).isEqualTo(example.get("signing").get("protected").get("kid").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jws/4_1.rsa_v15_signature.json", "jws/4_4.hmac-sha2_integrity_protection.json",
        "curve25519/jws.json"})
    void aReproducibleExampleIsSignedByteForByteIdentically(String file) {
        JsonNode example = cookbook(file);
        assertThat(example.get("reproducible").asBoolean()).isTrue();
        Algorithm alg = Algorithm.fromJws(example.get("input").get("alg").asText()).orElseThrow();
        JwtSigner signer = JwtSigner.builder(key(example)).algorithm(alg).type(null).build();

        String token = signer.sign(example.get("input").get("payload").asText().getBytes(StandardCharsets.UTF_8));

        assertThat(token).isEqualTo(example.get("output").get("compact").asText());
        assertThat(JwtVerifier.builder().key(verifyKey(key(example))).algorithms(alg).build()
                .verifySignature(token).header().alg()).isEqualTo(alg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4_2.rsa-pss_signature.json", "4_3.ecdsa_signature.json"})
    void aRandomisedExampleIsSignedWithTheSameHeaderAndVerifies(String file) {
        JsonNode example = cookbook("jws/" + file);
        assertThat(example.path("reproducible").asBoolean(false)).isFalse();
        Algorithm alg = Algorithm.fromJws(example.get("input").get("alg").asText()).orElseThrow();
        byte[] payload = example.get("input").get("payload").asText().getBytes(StandardCharsets.UTF_8);

        String token = JwtSigner.builder(key(example)).algorithm(alg).type(null).build().sign(payload);

        assertThat(token).startsWith(example.get("signing").get("protected_b64u").asText() + ".")
                .isNotEqualTo(example.get("output").get("compact").asText());
        assertThat(JwtVerifier.builder().key(verifyKey(key(example))).algorithms(alg).build()
                .verifySignature(token).payload()).isEqualTo(payload);
    }

    @Test
    void detachedContentVerifiesOnceThePayloadIsAttachedAndNotBefore() {
        JsonNode detached = cookbook("jws/4_5.signature_with_detached_content.json");
        JsonNode attached = cookbook("jws/4_4.hmac-sha2_integrity_protection.json");
        String compact = detached.get("output").get("compact").asText();
        String payload = detached.get("input").get("payload").asText();
        JwtVerifier verifier = JwtVerifier.builder().key(key(detached)).build();

        String[] parts = compact.split("\\.", -1);
        assertThat(parts[1]).isEmpty();
        String reattached = parts[0] + "." + Base64Url.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(reattached).isEqualTo(attached.get("output").get("compact").asText());
        assertThat(verifier.verifySignature(reattached).payload()).asString(StandardCharsets.UTF_8).isEqualTo(payload);
        assertThatThrownBy(() -> verifier.verifySignature(compact))
                .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_SIGNATURE));
    }

    // ---- RFC 7797 b64=false ----

    @Test
    void anUnencodedPayloadTokenIsRefusedAsUnsupportedCritical() throws GeneralSecurityException {
        JsonNode example = cookbook("rfc7797/hmac-sha2_b64_false.json");
        String compact = example.get("output").get("compact").asText();
        String header = compact.substring(0, compact.indexOf('.'));
        assertThat(new String(Base64Url.decode(header), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}");
        byte[] secret = Base64.getUrlDecoder().decode(example.get("input").get("key").get("k").asText());
        // Our reading of RFC 7797 §3 is right: the cookbook's signature is over header '.' raw payload.
        assertThat(compact).endsWith("." + hmacSha256(secret, header + "." + example.get("input").get("payload").asText()));
        JwtVerifier verifier = JwtVerifier.builder().key(key(example)).build();

        // As published, the raw payload ("This is the payload string!") is not base64url: refused by structure.
        assertThatThrownBy(() -> verifier.verifySignature(compact))
                .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(Code.MALFORMED));

        // A correctly signed b64=false token whose raw payload happens to be base64url text gets past the
        // structure check and is refused on crit (before any key or signature is looked at).
        String rawPayload = "abcd";
        String unencoded = header + "." + rawPayload + "." + hmacSha256(secret, header + "." + rawPayload);
        assertThatThrownBy(() -> verifier.verifySignature(unencoded))
                .isInstanceOfSatisfying(JwtException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.UNSUPPORTED_CRITICAL));
    }

    private static String hmacSha256(byte[] secret, String input) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
