package dev.jot.jwt;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * A JSON Web Key (RFC 7517) usable for JWS: a symmetric {@code oct} key, an {@code RSA} or {@code EC} key pair
 * (or public half), or an {@code OKP} Ed25519 key (RFC 8037). The key type fixes the algorithm family: an
 * {@code oct} key is only ever an HMAC key and a public key is never an HMAC secret.
 *
 * <p>Every instance is valid by construction: parsing and the factories reject weak or inconsistent keys
 * ({@link JwtException.Code#INVALID_KEY}). {@code toString()} never prints key material.
 */
public sealed interface Jwk permits OctJwk, RsaJwk, EcJwk, OkpJwk {

    /** {@code oct}, {@code RSA}, {@code EC} or {@code OKP}. */
    String kty();

    /** The {@code kid}, or null. */
    String kid();

    /** The algorithm this key is restricted to ({@code alg}), or null when unrestricted. */
    Algorithm alg();

    /** The {@code use} member ({@code "sig"}), or null. */
    String use();

    /** The {@code key_ops} member, or an empty set when absent. */
    Set<String> keyOps();

    /** {@code true} when this JWK holds a private or secret key (an {@code oct} key always does). */
    boolean isPrivate();

    /** The same key with private parts removed; an {@code oct} key has no public form. */
    Jwk toPublicJwk();

    /** The same key with another {@code kid}. */
    Jwk withKid(String kid);

    /** The same key restricted to {@code alg} (which must suit the key). */
    Jwk withAlg(Algorithm alg);

    /** Whether this key can be used with {@code alg}: right family and curve, and {@code alg} not contradicting. */
    default boolean suits(Algorithm algorithm) {
        return JwkRules.suitsFamily(this, algorithm) && (alg() == null || alg() == algorithm);
    }

    /** Whether {@code use}/{@code key_ops} allow the operation ({@code "sign"} or {@code "verify"}). */
    default boolean permits(String operation) {
        if (use() != null && !"sig".equals(use())) {
            return false;
        }
        return keyOps().isEmpty() || keyOps().contains(operation);
    }

    /** The JSON members, private ones included when present. */
    Map<String, Object> toMap();

    /** The JWK as JSON, private members included when present. */
    default String toJson() {
        return Json.write(toMap());
    }

    /** RFC 7638 thumbprint: base64url SHA-256 of the required public members in lexicographic order. */
    default String thumbprint() {
        Map<String, Object> required = new TreeMap<>();
        Map<String, Object> all = toMap();
        for (String name : JwkRules.thumbprintMembers(kty())) {
            required.put(name, all.get(name));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(required).getBytes(StandardCharsets.UTF_8));
            return Base64Url.encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses one JWK from JSON. Unknown members are ignored; invalid or weak keys are rejected. */
    static Jwk parse(String json) {
        return JwkParser.parse(Json.parseObject(json));
    }

    /** Builds a JWK from parsed JSON members. */
    static Jwk fromMap(Map<String, ?> members) {
        return JwkParser.parse(new LinkedHashMap<>(members));
    }

    /** Generates a fresh key for {@code alg}, with {@code alg} and {@code kid} set (a random kid when null). */
    static Jwk generate(Algorithm alg, String kid) {
        return JwkGenerator.generate(alg, kid);
    }

    /**
     * Wraps a JCA key: {@link SecretKey} → oct; {@link RSAPublicKey}/{@link RSAPrivateKey} (CRT) → RSA;
     * {@link ECPublicKey} → EC; {@link EdECPublicKey} → OKP. Private EC/EdDSA keys need their public half,
     * so use the key-pair factories of {@link EcJwk} and {@link OkpJwk} for those.
     */
    static Jwk of(Key key) {
        return switch (key) {
            case SecretKey s -> OctJwk.of(s.getEncoded());
            case RSAPublicKey r -> new RsaJwk(r, null, null, null, null, Set.of());
            case RSAPrivateKey r -> RsaJwk.ofPrivate(r);
            case ECPublicKey e -> EcJwk.of(e, null);
            case EdECPublicKey e -> OkpJwk.of(e, null);
            case ECPrivateKey e -> throw JwtException.invalidKey("an EC private key needs its public key: use EcJwk.of");
            case EdECPrivateKey e -> throw JwtException.invalidKey("an Ed25519 private key needs its public key: use OkpJwk.of");
            default -> throw JwtException.invalidKey("unsupported key type " + key.getAlgorithm());
        };
    }
}
