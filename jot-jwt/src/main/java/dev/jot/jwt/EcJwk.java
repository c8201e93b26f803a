package dev.jot.jwt;

import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An elliptic-curve key ({@code kty: EC}) on P-256, P-384 or P-521 for ES256/384/512. The public point must lie
 * on the named curve (invalid-curve attacks) and a private scalar must be in [1, n-1] and match the point.
 */
public record EcJwk(EcCurve curve, ECPublicKey publicKey, ECPrivateKey privateKey, String kid, Algorithm alg,
                    String use, Set<String> keyOps) implements Jwk {

    public EcJwk {
        keyOps = Set.copyOf(keyOps);
        if (EcCurve.of(publicKey.getParams()).orElse(null) != curve) {
            throw JwtException.invalidKey("EC public key is not on " + curve.jwkName());
        }
        if (!curve.contains(publicKey.getW())) {
            throw JwtException.invalidKey("EC point is not on curve " + curve.jwkName());
        }
        if (privateKey != null) {
            if (EcCurve.of(privateKey.getParams()).orElse(null) != curve) {
                throw JwtException.invalidKey("EC private key is not on " + curve.jwkName());
            }
            BigInteger s = privateKey.getS();
            if (s.signum() <= 0 || s.compareTo(curve.order()) >= 0) {
                throw JwtException.invalidKey("EC private scalar out of range");
            }
        }
        final EcCurve c = curve;
        JwkRules.checkMeta("EC", kid, alg, use, keyOps,
                a -> a.family() == Algorithm.Family.ECDSA && a.curve().orElseThrow() == c);
    }

    /** Wraps a JCA key pair (private may be null); the curve is read from the key. */
    public static EcJwk of(ECPublicKey publicKey, ECPrivateKey privateKey) {
        EcCurve curve = EcCurve.of(publicKey.getParams())
                .orElseThrow(() -> JwtException.invalidKey("unsupported EC curve"));
        EcJwk jwk = new EcJwk(curve, publicKey, privateKey, null, null, null, Set.of());
        if (privateKey != null) {
            KeyCheck.requireMatchingPair(jwk);
        }
        return jwk;
    }

    @Override
    public String kty() {
        return "EC";
    }

    @Override
    public boolean isPrivate() {
        return privateKey != null;
    }

    @Override
    public EcJwk toPublicJwk() {
        return new EcJwk(curve, publicKey, null, kid, alg, use, keyOps);
    }

    @Override
    public EcJwk withKid(String newKid) {
        return new EcJwk(curve, publicKey, privateKey, newKid, alg, use, keyOps);
    }

    @Override
    public EcJwk withAlg(Algorithm newAlg) {
        return new EcJwk(curve, publicKey, privateKey, kid, newAlg, use, keyOps);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "EC");
        JwkMaps.putMeta(m, this);
        m.put("crv", curve.jwkName());
        int len = curve.fieldBytes();
        m.put("x", Base64Url.encode(JwkMaps.fixed(publicKey.getW().getAffineX(), len)));
        m.put("y", Base64Url.encode(JwkMaps.fixed(publicKey.getW().getAffineY(), len)));
        if (privateKey != null) {
            m.put("d", Base64Url.encode(JwkMaps.fixed(privateKey.getS(), len)));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcJwk other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return publicKey.getW().hashCode();
    }

    @Override
    public String toString() {
        return JwkRules.describe(this);
    }
}
