package dev.jot.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** An Ed25519 key ({@code kty: OKP, crv: Ed25519}, RFC 8037) for EdDSA. Other OKP curves are refused. */
public record OkpJwk(EdECPublicKey publicKey, EdECPrivateKey privateKey, String kid, Algorithm alg, String use,
                     Set<String> keyOps) implements Jwk {

    public static final String CURVE = "Ed25519";
    static final BigInteger FIELD_PRIME = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    public OkpJwk {
        keyOps = Set.copyOf(keyOps);
        if (!CURVE.equalsIgnoreCase(publicKey.getParams().getName())) {
            throw JwtException.invalidKey("OKP key is not Ed25519");
        }
        if (privateKey != null && !CURVE.equalsIgnoreCase(privateKey.getParams().getName())) {
            throw JwtException.invalidKey("OKP private key is not Ed25519");
        }
        JwkRules.checkMeta("OKP", kid, alg, use, keyOps, a -> a == Algorithm.EdDSA);
    }

    /** Wraps a JCA key pair (private may be null). */
    public static OkpJwk of(EdECPublicKey publicKey, EdECPrivateKey privateKey) {
        OkpJwk jwk = new OkpJwk(publicKey, privateKey, null, null, null, Set.of());
        if (privateKey != null) {
            KeyCheck.requireMatchingPair(jwk);
        }
        return jwk;
    }

    /** The 32-byte RFC 8032 encoding of the public key. */
    public byte[] x() {
        return encodePoint(publicKey.getPoint());
    }

    static byte[] encodePoint(EdECPoint point) {
        byte[] out = JwkMaps.fixed(point.getY(), 32);
        reverse(out);
        if (point.isXOdd()) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    /** Decodes a 32-byte public key; rejects non-canonical y (y ≥ 2^255-19). */
    static EdECPublicKey decodePublic(byte[] x) {
        if (x.length != 32) {
            throw JwtException.invalidKey("Ed25519 public key must be 32 bytes");
        }
        byte[] le = x.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        reverse(le);
        BigInteger y = new BigInteger(1, le);
        if (y.compareTo(FIELD_PRIME) >= 0) {
            throw JwtException.invalidKey("non-canonical Ed25519 public key");
        }
        try {
            return (EdECPublicKey) KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
        } catch (GeneralSecurityException e) {
            throw new JwtException(JwtException.Code.INVALID_KEY, null, "invalid Ed25519 public key", e);
        }
    }

    static EdECPrivateKey decodePrivate(byte[] d) {
        if (d.length != 32) {
            throw JwtException.invalidKey("Ed25519 private key must be 32 bytes");
        }
        try {
            return (EdECPrivateKey) KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, d));
        } catch (GeneralSecurityException e) {
            throw new JwtException(JwtException.Code.INVALID_KEY, null, "invalid Ed25519 private key", e);
        }
    }

    private static void reverse(byte[] b) {
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
    }

    @Override
    public String kty() {
        return "OKP";
    }

    @Override
    public boolean isPrivate() {
        return privateKey != null;
    }

    @Override
    public OkpJwk toPublicJwk() {
        return new OkpJwk(publicKey, null, kid, alg, use, keyOps);
    }

    @Override
    public OkpJwk withKid(String newKid) {
        return new OkpJwk(publicKey, privateKey, newKid, alg, use, keyOps);
    }

    @Override
    public OkpJwk withAlg(Algorithm newAlg) {
        return new OkpJwk(publicKey, privateKey, kid, newAlg, use, keyOps);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "OKP");
        JwkMaps.putMeta(m, this);
        m.put("crv", CURVE);
        m.put("x", Base64Url.encode(x()));
        if (privateKey != null) {
            m.put("d", Base64Url.encode(privateKey.getBytes().orElseThrow()));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OkpJwk other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(x());
    }

    @Override
    public String toString() {
        return JwkRules.describe(this);
    }
}
