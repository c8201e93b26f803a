package dev.jot.jwt;

import static dev.jot.jwt.WycheproofJose.NO_USABLE_KEY;
import static dev.jot.jwt.WycheproofJose.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jot.jwt.JwtException.Code;
import dev.jot.jwt.VectorFiles.WycheproofCase;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of Wycheproof's {@code json_web_key_test.json} (26 cases: JWK sets), one dynamic test each, run as
 * {@link WycheproofJose} describes: the group's key set is read with {@link Jwks}, the verifier is built on all
 * of it and the token is verified. No case is skipped and there is no deviation: every valid case verifies and
 * every invalid one is rejected, most of them before any token is looked at.
 *
 * <p>Rejections ({@link #REJECTIONS}):
 * <ul>
 * <li>{@code INVALID_KEY} when the set is read: a set mixing a secret with a public key (1) or with a duplicate
 *     {@code kid} (4) is ambiguous; a ROCA modulus (7), a 1024-bit modulus (8), {@code e = 1} (9), HMAC keys
 *     shorter than their hash (10–12) or empty (16–18), an {@code alg} that does not fit the curve (19,
 *     {@code ES521} on P-256) or that Jot does not know (20, {@code ES224}), a point not on the curve (22), a
 *     P-384 key restricted to ES256 (23), {@code kty} RSA with EC members (24).</li>
 * <li>{@code NO_USABLE_KEY}: sets whose only key is an encryption key ({@code use: enc}, or a JWE {@code alg}
 *     such as {@code RSA1_5}, {@code A256GCM}, {@code A256KW}). RFC 7517 §5 says to ignore keys a set member
 *     cannot use, so the set is empty of signature keys and the verifier builder refuses with
 *     {@link IllegalStateException} "a verifier needs at least one key" (6, 21, 25, 26).</li>
 * <li>{@code BAD_SIGNATURE}: a modified signature under a good key set (3).</li>
 * </ul>
 */
class WycheproofJwkTest {

    private static final JsonNode FILE = VectorFiles.json("wycheproof/json_web_key_test.json");
    private static final List<WycheproofCase> CASES = VectorFiles.wycheproofCases(FILE);

    static final Map<Integer, String> REJECTIONS = VectorFiles.outcomes(
            "INVALID_KEY", "1, 4, 7-12, 16-20, 22-24",
            NO_USABLE_KEY, "6, 21, 25-26",
            "BAD_SIGNATURE", "3");

    @TestFactory
    @DisplayName("every json_web_key_test.json case has its expected outcome")
    Stream<DynamicTest> everyCaseHasItsExpectedOutcome() {
        return CASES.stream().map(c -> dynamicTest(c.displayName() + " ⇒ " + expected(c), () ->
                assertThat(WycheproofJose.outcome(c.group(), WycheproofJose.jws(c)))
                        .as("tcId %d (%s)", c.tcId(), c.comment())
                        .isEqualTo(expected(c))));
    }

    private static String expected(WycheproofCase c) {
        return "valid".equals(c.result()) ? VERIFIED : REJECTIONS.get(c.tcId());
    }

    @Test
    void allCasesOfTheFileRunAndTheTableCoversExactlyTheInvalidOnes() {
        assertThat(CASES).hasSize(FILE.get("numberOfTests").asInt()).hasSize(26);
        assertThat(CASES.stream().filter(c -> "valid".equals(c.result())).map(WycheproofCase::tcId))
                .containsExactly(2, 5, 13, 14, 15);
        assertThat(REJECTIONS.keySet()).containsExactlyInAnyOrderElementsOf(
                CASES.stream().filter(c -> "invalid".equals(c.result())).map(WycheproofCase::tcId).toList());
    }

    @Test
    void everyGroupKeyIsAJwkSet() {
        assertThat(CASES).allSatisfy(c -> {
            JsonNode key = c.group().has("public") ? c.group().get("public") : c.group().get("private");
            assertThat(key.has("keys")).as("tcId %d", c.tcId()).isTrue();
        });
    }

    @Test
    void aSetOfOnlyEncryptionKeysIsReadAsEmptyAndNoVerifierCanBeBuiltOnIt() {
        for (int id : List.of(6, 21, 25, 26)) {
            WycheproofCase c = CASES.get(id - 1);
            assertThat(c.tcId()).isEqualTo(id);
            Jwks keys = WycheproofJose.groupKeys(c.group());
            assertThat(keys.keys()).as("tcId %d", id).isEmpty();
            assertThatThrownBy(() -> JwtVerifier.builder().keys(keys).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a verifier needs at least one key");
        }
    }

    @Test
    void theMixedAndDuplicateKidSetsAreRefusedWhenRead() {
        for (int id : List.of(1, 4)) {
            WycheproofCase c = CASES.get(id - 1);
            assertThatThrownBy(() -> WycheproofJose.groupKeys(c.group()))
                    .isInstanceOfSatisfying(JwtException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_KEY));
        }
    }
}
