package dev.jot.jwt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JWK Set (RFC 7517 §5). Keys that are not for JWS signatures (an unknown {@code kty}, a JWE {@code alg},
 * {@code use: enc}) are skipped as §5 asks; a key that claims to be a signature key but is invalid or weak
 * rejects the whole set. Duplicate {@code kid}s and sets that mix secret/private keys with public keys are
 * rejected: both make key selection ambiguous.
 */
public record Jwks(List<Jwk> keys) {

    public Jwks {
        keys = List.copyOf(keys);
        Set<String> kids = new HashSet<>();
        for (Jwk k : keys) {
            if (k.kid() != null && !kids.add(k.kid())) {
                throw JwtException.invalidKey("duplicate kid in JWK set");
            }
        }
        boolean anyPrivate = keys.stream().anyMatch(Jwk::isPrivate);
        boolean anyPublic = keys.stream().anyMatch(k -> !k.isPrivate());
        if (anyPrivate && anyPublic) {
            throw JwtException.invalidKey("JWK set mixes secret or private keys with public keys");
        }
    }

    public static Jwks of(Jwk... keys) {
        return new Jwks(List.of(keys));
    }

    /** Parses {@code {"keys":[...]}}. */
    public static Jwks parse(String json) {
        return fromMap(Json.parseObject(json));
    }

    public static Jwks fromMap(Map<String, ?> m) {
        if (!(m.get("keys") instanceof List<?> list)) {
            throw JwtException.invalidKey("a JWK set needs a 'keys' array");
        }
        List<Jwk> keys = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> member)) {
                throw JwtException.invalidKey("JWK set entries must be objects");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) member;
            if (isForSignatures(jwk)) {
                keys.add(Jwk.fromMap(jwk));
            }
        }
        return new Jwks(keys);
    }

    /** Parses either a single JWK or a JWK set. */
    public static Jwks parseKeyOrSet(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return m.containsKey("keys") ? fromMap(m) : new Jwks(List.of(Jwk.fromMap(m)));
    }

    private static boolean isForSignatures(Map<String, Object> jwk) {
        Object kty = jwk.get("kty");
        if (!("oct".equals(kty) || "RSA".equals(kty) || "EC".equals(kty) || "OKP".equals(kty))) {
            return false;
        }
        if ("enc".equals(jwk.get("use"))) {
            return false;
        }
        if ("OKP".equals(kty) && !OkpJwk.CURVE.equals(jwk.get("crv"))) {
            return false; // X25519/X448 are key-agreement keys
        }
        // An unknown non-JWE alg ("ES521") is kept, so that parsing rejects the key loudly.
        return !(jwk.get("alg") instanceof String alg) || !looksLikeJweAlg(alg);
    }

    private static boolean looksLikeJweAlg(String alg) {
        return alg.startsWith("RSA-OAEP") || alg.equals("RSA1_5") || alg.startsWith("A1") || alg.startsWith("A2")
                || alg.startsWith("ECDH-ES") || alg.startsWith("PBES2") || alg.equals("dir");
    }

    public Optional<Jwk> find(String kid) {
        return keys.stream().filter(k -> kid.equals(k.kid())).findFirst();
    }

    /** The set with every private part removed: what a JWKS endpoint publishes. */
    public Jwks toPublic() {
        return new Jwks(keys.stream().map(Jwk::toPublicJwk).toList());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", keys.stream().map(Jwk::toMap).toList());
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }
}
