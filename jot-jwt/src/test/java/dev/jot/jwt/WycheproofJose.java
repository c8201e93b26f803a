package dev.jot.jwt;

import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Set;

/**
 * How a Wycheproof JOSE case ({@code json_web_signature_test.json}, {@code json_web_key_test.json}) is run
 * against Jot, and what came out of it.
 *
 * <p>Key: the group's {@code public} member when present, else {@code private} (for {@code oct} keys there is
 * only {@code private}); a single JWK or a JWK set, both read with {@link Jwks#parseKeyOrSet(String)} (a set
 * skips keys that are not for signatures, RFC 7517 §5). Algorithms: a key with {@code alg} allows exactly that
 * algorithm (the verifier's default). A key without {@code alg} allows every algorithm of its family that it
 * suits: RS* and PS* for RSA, the one ES* of its curve for EC, the HS* its length allows for oct, EdDSA for OKP.
 * The token's header never chooses. Verification is {@link JwtVerifier#verifySignature(String)}: the payloads
 * ("foo", "Test", …) are not JWT claims sets.
 */
final class WycheproofJose {

    /** The outcome name for a token that verified. */
    static final String VERIFIED = "VERIFIED";

    /**
     * The outcome name for a group whose key set keeps no signature key at all (every key was skipped as an
     * encryption key), so {@link JwtVerifier.Builder#build()} refuses with {@link IllegalStateException}.
     */
    static final String NO_USABLE_KEY = "NO_USABLE_KEY";

    private WycheproofJose() {
    }

    /** The group's key (public preferred) as a key set. */
    static Jwks groupKeys(JsonNode group) {
        JsonNode key = group.has("public") ? group.get("public") : group.get("private");
        return Jwks.parseKeyOrSet(key.toString());
    }

    static JwtVerifier verifier(JsonNode group) {
        Jwks keys = groupKeys(group);
        Set<Algorithm> forKeysWithoutAlg = EnumSet.noneOf(Algorithm.class);
        for (Jwk key : keys.keys()) {
            if (key.alg() == null) {
                for (Algorithm a : Algorithm.values()) {
                    if (key.suits(a)) {
                        forKeysWithoutAlg.add(a);
                    }
                }
            }
        }
        JwtVerifier.Builder builder = JwtVerifier.builder().keys(keys);
        if (!forKeysWithoutAlg.isEmpty()) {
            builder.algorithms(forKeysWithoutAlg);
        }
        return builder.build();
    }

    /**
     * Builds the group's verifier and verifies {@code jws}: {@link #VERIFIED}, the {@link JwtException.Code} name
     * of the rejection (at key parsing, verifier build or verify), or {@link #NO_USABLE_KEY}. Anything else
     * thrown fails the test.
     */
    static String outcome(JsonNode group, String jws) {
        Throwable thrown = catchThrowable(() -> verifier(group).verifySignature(jws));
        if (thrown == null) {
            return VERIFIED;
        }
        if (thrown instanceof JwtException e) {
            return e.code().name();
        }
        if (thrown instanceof IllegalStateException e && "a verifier needs at least one key".equals(e.getMessage())) {
            return NO_USABLE_KEY;
        }
        throw new AssertionError("unexpected exception for " + jws, thrown);
    }

    /** The JWS of a case; a JSON-serialised JWS (an object in the file) is passed on as its JSON text. */
    static String jws(VectorFiles.WycheproofCase c) {
        return c.field("jws");
    }
}
