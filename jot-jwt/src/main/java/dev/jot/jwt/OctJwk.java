package dev.jot.jwt;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A symmetric key ({@code kty: oct}); only ever an HMAC key. At least 32 bytes, and at least the hash size
 * of its {@code alg} (RFC 7518 §3.2: "a key of the same size as the hash output or larger MUST be used").
 */
public record OctJwk(SecretKey secret, String kid, Algorithm alg, String use, Set<String> keyOps) implements Jwk {

    /** The shortest secret Jot accepts: the HS256 hash size. */
    public static final int MIN_BYTES = 32;

    public OctJwk {
        keyOps = Set.copyOf(keyOps);
        byte[] raw = secret.getEncoded();
        if (raw == null || raw.length < MIN_BYTES) {
            throw JwtException.invalidKey("HMAC key shorter than " + MIN_BYTES + " bytes");
        }
        if (alg != null && raw.length < alg.hashBytes()) {
            throw JwtException.invalidKey("HMAC key shorter than the " + alg + " hash (" + alg.hashBytes() + " bytes)");
        }
        int length = raw.length;
        Arrays.fill(raw, (byte) 0);
        JwkRules.checkMeta("oct", kid, alg, use, keyOps,
                a -> a.family() == Algorithm.Family.HMAC && length >= a.hashBytes());
    }

    /** A secret from raw bytes (copied); at least 32 bytes. */
    public static OctJwk of(byte[] secret) {
        if (secret.length < MIN_BYTES) { // SecretKeySpec itself refuses an empty key with an unchecked exception
            throw JwtException.invalidKey("HMAC key shorter than " + MIN_BYTES + " bytes");
        }
        return new OctJwk(new SecretKeySpec(secret, "HMAC"), null, null, null, Set.of());
    }

    /** Length of the secret in bytes. */
    public int length() {
        byte[] raw = secret.getEncoded();
        int n = raw.length;
        Arrays.fill(raw, (byte) 0);
        return n;
    }

    @Override
    public String kty() {
        return "oct";
    }

    @Override
    public boolean isPrivate() {
        return true;
    }

    @Override
    public Jwk toPublicJwk() {
        throw new UnsupportedOperationException("a symmetric key has no public form; never publish it");
    }

    @Override
    public OctJwk withKid(String newKid) {
        return new OctJwk(secret, newKid, alg, use, keyOps);
    }

    @Override
    public OctJwk withAlg(Algorithm newAlg) {
        return new OctJwk(secret, kid, newAlg, use, keyOps);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "oct");
        JwkMaps.putMeta(m, this);
        m.put("k", Base64Url.encode(secret.getEncoded()));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OctJwk other
                && MessageDigest.isEqual(secret.getEncoded(), other.secret.getEncoded())
                && java.util.Objects.equals(kid, other.kid) && alg == other.alg
                && java.util.Objects.equals(use, other.use) && keyOps.equals(other.keyOps);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kid, alg);
    }

    @Override
    public String toString() {
        return JwkRules.describe(this);
    }
}
