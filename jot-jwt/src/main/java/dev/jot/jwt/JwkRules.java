package dev.jot.jwt;

import java.util.List;
import java.util.Set;

/** Rules shared by the JWK records: which algorithms suit which keys, and what {@code use}/{@code key_ops} allow. */
final class JwkRules {

    /** key_ops values registered by RFC 7517 §4.3. */
    static final Set<String> KEY_OPS = Set.of(
            "sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits");

    /** Longest {@code kid} we accept, in a JWK or a JOSE header: it is an opaque lookup string, nothing more. */
    static final int MAX_KID_LENGTH = 256;

    private JwkRules() {
    }

    static boolean suitsFamily(Jwk key, Algorithm alg) {
        return switch (key) {
            case OctJwk o -> alg.family() == Algorithm.Family.HMAC && o.length() >= alg.hashBytes();
            case RsaJwk r -> alg.family() == Algorithm.Family.RSA || alg.family() == Algorithm.Family.RSA_PSS;
            case EcJwk e -> alg.family() == Algorithm.Family.ECDSA && alg.curve().orElseThrow() == e.curve();
            case OkpJwk o -> alg == Algorithm.EdDSA;
        };
    }

    static List<String> thumbprintMembers(String kty) {
        // RFC 7638 §3.2 (oct, RSA, EC) and RFC 8037 §2 (OKP).
        return switch (kty) {
            case "oct" -> List.of("k", "kty");
            case "RSA" -> List.of("e", "kty", "n");
            case "EC" -> List.of("crv", "kty", "x", "y");
            case "OKP" -> List.of("crv", "kty", "x");
            default -> throw new IllegalArgumentException(kty);
        };
    }

    /** Validates the members every JWK shares; {@code algFits} says whether an alg suits the key material. */
    static void checkMeta(String kty, String kid, Algorithm alg, String use, Set<String> ops,
                          java.util.function.Predicate<Algorithm> algFits) {
        if (kid != null && (kid.isEmpty() || kid.length() > MAX_KID_LENGTH)) {
            throw JwtException.invalidKey("kid must be 1.." + MAX_KID_LENGTH + " characters");
        }
        if (alg != null && !algFits.test(alg)) {
            throw JwtException.invalidKey("alg " + alg + " does not suit this " + kty + " key");
        }
        if (use != null && !use.equals("sig")) {
            // Jot only signs: an encryption key must never verify a signature (RFC 7517 §4.2).
            throw JwtException.invalidKey("use '" + use + "' is not a signature key");
        }
        for (String op : ops) {
            if (!KEY_OPS.contains(op)) {
                throw JwtException.invalidKey("unknown key_ops value");
            }
        }
        if (!ops.isEmpty() && !ops.contains("sign") && !ops.contains("verify")) {
            throw JwtException.invalidKey("key_ops allow neither sign nor verify");
        }
        if (use != null && !ops.isEmpty() && !Set.of("sign", "verify").containsAll(ops)) {
            // RFC 7517 §4.3: use and key_ops SHOULD NOT both be present; when they are, they must agree.
            throw JwtException.invalidKey("use and key_ops disagree");
        }
    }

    static String describe(Jwk k) {
        return k.kty() + " JWK" + (k.kid() == null ? "" : " kid=" + k.kid())
                + (k.alg() == null ? "" : " alg=" + k.alg()) + (k.isPrivate() ? " (private)" : " (public)");
    }
}
