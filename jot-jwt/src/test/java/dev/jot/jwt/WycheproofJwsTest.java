package dev.jot.jwt;

import static dev.jot.jwt.WycheproofJose.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.jwt.JwtException.Code;
import dev.jot.jwt.VectorFiles.WycheproofCase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of Wycheproof's {@code json_web_signature_test.json} (401 cases), one dynamic test each, run as
 * {@link WycheproofJose} describes (group key, algorithms, {@code verifySignature}). No case is skipped.
 *
 * <p>Each case asserts one exact outcome: {@code VERIFIED} for {@code valid}, and for {@code invalid} the
 * {@link Code} of the rejection from {@link #REJECTIONS}, which pins down where in the fixed check order
 * (DESIGN rule 2) the token is stopped.
 *
 * <p>Deliberate deviations, cases Wycheproof calls {@code valid} that Jot rejects because it is stricter
 * ({@link #STRICTER}; each is also shown to verify once the one stricter rule is lifted):
 * <ul>
 * <li>346, 350 (RFC 7520 Figure 20): the key says {@code "alg":"PS256"} and the header {@code PS384}. A key's
 *     {@code alg} restricts it to that algorithm (RFC 7517 §4.4; DESIGN rule 1: the token never chooses), so
 *     {@code UNSUPPORTED_ALGORITHM}.</li>
 * <li>347, 351 (RFC 7520 Figure 27): the key says {@code "alg":"ES521"}, which is not a JWS algorithm (the
 *     P-521 one is {@code ES512}). Jot refuses a JWK whose {@code alg} it does not know rather than ignore a
 *     restriction it cannot honour: {@code INVALID_KEY} when the key is parsed.</li>
 * <li>372, 373: a {@code ?} inserted into the header or payload base64url. Decoders that drop unknown
 *     characters accept it; Jot's base64url is strict (DESIGN rule 2, no "repairs"): {@code MALFORMED}.</li>
 * </ul>
 * 349 is not a deviation: its group's public key has {@code key_ops ["verify"]} and verifies; only the private
 * key has the malformed {@code ["sign, verify"]} (one string), which Jot refuses (see the dedicated test).
 *
 * <p>Vector defect: 367 ({@code invalidBase64Padding}) and 370 ({@code invalidBase64PaddingInPayload}) are
 * marked invalid but their token is byte-for-byte the token of the valid case 357: the {@code =} padding their
 * comments describe is not in the file. No verifier can accept 357 and reject them; Jot verifies them, and
 * {@link #theInvalidPaddingCasesCarryTheValidTokenAndTheirIntendedPaddedFormsAreMalformed()} shows that the
 * padded tokens they meant are {@code MALFORMED}.
 */
class WycheproofJwsTest {

    private static final String FILE_NAME = "wycheproof/json_web_signature_test.json";
    private static final JsonNode FILE = VectorFiles.json(FILE_NAME);
    private static final List<WycheproofCase> CASES = VectorFiles.wycheproofCases(FILE);

    /** Cases marked {@code valid} that Jot rejects on purpose, with the rejection asserted. */
    static final Map<Integer, Code> STRICTER = Map.of(
            346, Code.UNSUPPORTED_ALGORITHM, 350, Code.UNSUPPORTED_ALGORITHM,
            347, Code.INVALID_KEY, 351, Code.INVALID_KEY,
            372, Code.MALFORMED, 373, Code.MALFORMED);

    /** Cases marked {@code invalid} whose token is the valid token of case 357 (see the class comment). */
    static final List<Integer> SAME_TOKEN_AS_357 = List.of(367, 370);

    /** How each {@code invalid} case is rejected. */
    static final Map<Integer, String> REJECTIONS = VectorFiles.outcomes(
            // Structure or strict base64url: missing/extra parts, empty header or signature (also alg none with
            // its empty signature), JSON serialisation, spaces and invalid characters, non-canonical bits.
            "MALFORMED", "3-4, 7, 9-17, 20-21, 24, 26-30, 35-36, 39, 41-45, 341-344, 360-366, 368-369, 371, 374-375",
            // The modified header changes the kid (kid-… → Xid-…): no configured key has it.
            "KEY_NOT_FOUND", "8, 25, 40",
            // The header's alg is not the key's alg: HS256 against an EC key (31), RS* against a PS512 key.
            "UNSUPPORTED_ALGORITHM", "31, 332, 334, 336, 338, 340",
            // use "enc" or key_ops without sign/verify: the JWK is refused when parsed.
            "INVALID_KEY", "353-356",
            // Everything else gets to the signature check and fails there: modified signatures, payloads,
            // PKCS#1 and PSS encodings, a header-embedded jwk (ignored), PS512 header over an RS/PS-other
            // signature, ECDSA r/s edge cases (range-checked before the JCA sees them).
            "BAD_SIGNATURE", "2, 5-6, 19, 22-23, 32, 34, 37-38, 46-258, 276-286, 289-319, 324, 329-331, 333, 335,"
                    + " 337, 339, 379-401");

    @TestFactory
    @DisplayName("every json_web_signature_test.json case has its expected outcome")
    Stream<DynamicTest> everyCaseHasItsExpectedOutcome() {
        return CASES.stream().map(c -> dynamicTest(c.displayName() + " ⇒ " + expected(c), () ->
                assertThat(WycheproofJose.outcome(c.group(), WycheproofJose.jws(c)))
                        .as("tcId %d (%s)", c.tcId(), c.comment())
                        .isEqualTo(expected(c))));
    }

    static String expected(WycheproofCase c) {
        if (STRICTER.containsKey(c.tcId())) {
            return STRICTER.get(c.tcId()).name();
        }
        if ("valid".equals(c.result()) || SAME_TOKEN_AS_357.contains(c.tcId())) {
            return VERIFIED;
        }
        return REJECTIONS.get(c.tcId());
    }

    @Test
    void allCasesOfTheFileRunAndTheTablesCoverExactlyTheInvalidOnes() {
        assertThat(CASES).hasSize(FILE.get("numberOfTests").asInt()).hasSize(401);
        assertThat(CASES.stream().filter(c -> "valid".equals(c.result()))).hasSize(46);
        List<Integer> invalid = CASES.stream().filter(c -> "invalid".equals(c.result()))
                .map(WycheproofCase::tcId).filter(id -> !SAME_TOKEN_AS_357.contains(id)).toList();
        assertThat(REJECTIONS.keySet()).containsExactlyInAnyOrderElementsOf(invalid);
        assertThat(CASES).allSatisfy(c -> assertThat(c.result()).isIn("valid", "invalid"));
        assertThat(STRICTER.keySet()).allSatisfy(id -> assertThat(byId(id).result()).isEqualTo("valid"));
    }

    @Test
    void theKeyAlgMismatchCasesVerifyWhenTheKeyIsNotRestrictedToItsAlg() {
        for (int id : List.of(346, 350)) {
            WycheproofCase c = byId(id);
            Jwk restricted = WycheproofJose.groupKeys(c.group()).keys().getFirst();
            assertThat(restricted.alg()).isEqualTo(Algorithm.PS256);
            JwtVerifier lifted = JwtVerifier.builder().key(restricted.withAlg(null))
                    .algorithms(Algorithm.PS384).build();
            assertThat(lifted.verifySignature(WycheproofJose.jws(c)).header().alg()).isEqualTo(Algorithm.PS384);
        }
    }

    @Test
    void theEs521CasesVerifyWithEs512OnceTheUnknownAlgIsRemovedFromTheKey() {
        for (int id : List.of(347, 351)) {
            WycheproofCase c = byId(id);
            ObjectNode key = ((ObjectNode) c.group().get("public").deepCopy());
            assertThat(key.get("alg").asText()).isEqualTo("ES521");
            assertThatThrownBy(() -> Jwk.parse(key.toString()))
                    .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_KEY));
            key.remove("alg");
            JwtVerifier lifted = JwtVerifier.builder().key(Jwk.parse(key.toString()))
                    .algorithms(Algorithm.ES512).build();
            assertThat(lifted.verifySignature(WycheproofJose.jws(c)).header().alg()).isEqualTo(Algorithm.ES512);
        }
    }

    @Test
    void theInsertedCharacterCasesAreTheValidTokenWithOneCharacterAdded() {
        String valid = WycheproofJose.jws(byId(357));
        for (int id : List.of(372, 373)) {
            String withQuestionMark = WycheproofJose.jws(byId(id));
            assertThat(withQuestionMark.replace("?", "")).isEqualTo(valid);
        }
        assertThat(WycheproofJose.outcome(byId(357).group(), valid)).isEqualTo(VERIFIED);
    }

    @Test
    void theKeyOpsCaseVerifiesWithItsPublicKeyWhileThePrivateKeyWithOneCommaStringIsRefused() {
        WycheproofCase c = byId(349);
        assertThat(c.group().get("public").get("key_ops").toString()).isEqualTo("[\"verify\"]");
        assertThat(c.group().get("private").get("key_ops").toString()).isEqualTo("[\"sign, verify\"]");
        assertThat(WycheproofJose.outcome(c.group(), WycheproofJose.jws(c))).isEqualTo(VERIFIED);
        assertThatThrownBy(() -> Jwk.parse(c.group().get("private").toString()))
                .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_KEY));
    }

    @Test
    void theInvalidPaddingCasesCarryTheValidTokenAndTheirIntendedPaddedFormsAreMalformed() {
        WycheproofCase valid = byId(357);
        String token = WycheproofJose.jws(valid);
        for (int id : SAME_TOKEN_AS_357) {
            assertThat(WycheproofJose.jws(byId(id))).as("tcId %d", id).isEqualTo(token);
        }
        String[] parts = token.split("\\.");
        assertThat(new String(Base64Url.decode(parts[1]), StandardCharsets.US_ASCII)).isEqualTo("Test");
        String paddedSignature = parts[0] + "." + parts[1] + "." + parts[2] + "=";
        String paddedPayload = parts[0] + "." + parts[1] + "==." + parts[2];
        assertThat(WycheproofJose.outcome(valid.group(), paddedSignature)).isEqualTo(Code.MALFORMED.name());
        assertThat(WycheproofJose.outcome(valid.group(), paddedPayload)).isEqualTo(Code.MALFORMED.name());
    }

    private static WycheproofCase byId(int tcId) {
        return CASES.stream().filter(c -> c.tcId() == tcId).findFirst().orElseThrow();
    }
}
