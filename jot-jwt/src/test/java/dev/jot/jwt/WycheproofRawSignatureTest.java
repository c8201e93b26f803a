package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jot.jwt.VectorFiles.WycheproofCase;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof's raw ECDSA (P1363, the JWS {@code r‖s} form) and Ed25519 signature vectors, every case run through
 * {@link Crypto#check(Algorithm, Jwk)}, the very code the JWS verifier uses for a signature (so the ECDSA
 * length and {@code 1 ≤ r, s ≤ n-1} checks are exercised, not only the JCA).
 *
 * <p>Keys: EC groups are built from {@code publicKeyDer} with {@link EcJwk#of} (9 groups per curve have no
 * {@code publicKeyJwk}; where it is present it is checked to be the same key); Ed25519 groups from the raw
 * {@code pk} with {@link OkpJwk#decodePublic}. Every group's key is a valid public key and Jot accepts all of
 * them (these files test signatures, not invalid keys), so no case counts as rejected at key construction.
 *
 * <p>Results: {@code valid} → {@code verify} is true; {@code invalid} → false. These files (commit dac1dd4)
 * contain no {@code acceptable} case; the count test asserts that, so an update that adds some fails until
 * someone decides what Jot should answer for them. No case is skipped.
 */
class WycheproofRawSignatureTest {

    enum VectorFile {
        ECDSA_P256_SHA256("ecdsa_secp256r1_sha256_p1363_test.json", Algorithm.ES256, 262),
        ECDSA_P384_SHA384("ecdsa_secp384r1_sha384_p1363_test.json", Algorithm.ES384, 280),
        ECDSA_P521_SHA512("ecdsa_secp521r1_sha512_p1363_test.json", Algorithm.ES512, 318),
        ED25519("ed25519_test.json", Algorithm.EdDSA, 151);

        final String file;
        final Algorithm alg;
        final int cases;

        VectorFile(String file, Algorithm alg, int cases) {
            this.file = file;
            this.alg = alg;
            this.cases = cases;
        }

        JsonNode json() {
            return VectorFiles.json("wycheproof/" + file);
        }
    }

    @TestFactory
    @DisplayName("every raw ECDSA P1363 and Ed25519 case verifies exactly when it is valid")
    Stream<DynamicContainer> everyCaseVerifiesExactlyWhenItIsValid() {
        return Stream.of(VectorFile.values()).map(f -> {
            List<WycheproofCase> cases = VectorFiles.wycheproofCases(f.json());
            return dynamicContainer(f.file + " (" + f.alg + ", " + cases.size() + " cases)",
                    cases.stream().map(c -> dynamicTest(c.displayName(), () -> {
                        byte[] msg = c.hex("msg");
                        boolean verified = Crypto.check(f.alg, publicKey(f, c.group()))
                                .verify(msg, 0, msg.length, c.hex("sig"));
                        assertThat(verified).as("tcId %d (%s)", c.tcId(), c.comment())
                                .isEqualTo("valid".equals(c.result()));
                    })));
        });
    }

    @ParameterizedTest
    @EnumSource(VectorFile.class)
    void allCasesOfTheFileRunAndNoneIsMerelyAcceptable(VectorFile f) {
        JsonNode json = f.json();
        List<WycheproofCase> cases = VectorFiles.wycheproofCases(json);
        assertThat(cases).hasSize(json.get("numberOfTests").asInt()).hasSize(f.cases);
        assertThat(cases).allSatisfy(c -> assertThat(c.result()).isIn("valid", "invalid"));
    }

    @ParameterizedTest
    @EnumSource(value = VectorFile.class, names = "ED25519", mode = EnumSource.Mode.EXCLUDE)
    void theDerPublicKeyIsTheSameKeyAsThePublicKeyJwkWhereTheFileHasOne(VectorFile f) {
        int compared = 0;
        for (JsonNode group : f.json().get("testGroups")) {
            if (group.has("publicKeyJwk")) {
                Jwk fromJwk = Jwk.parse(group.get("publicKeyJwk").toString());
                assertThat(fromJwk.thumbprint()).isEqualTo(publicKey(f, group).thumbprint());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(90);
    }

    static Jwk publicKey(VectorFile f, JsonNode group) {
        if (f.alg == Algorithm.EdDSA) {
            return OkpJwk.of(OkpJwk.decodePublic(HexFormat.of().parseHex(group.get("publicKey").get("pk").asText())),
                    null);
        }
        try {
            byte[] der = HexFormat.of().parseHex(group.get("publicKeyDer").asText());
            return EcJwk.of((ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)),
                    null);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the vector's DER public key does not load", e);
        }
    }
}
