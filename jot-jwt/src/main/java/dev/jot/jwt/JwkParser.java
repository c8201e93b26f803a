package dev.jot.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/** Reads JWK members (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) into the typed records, strictly. */
final class JwkParser {

    private JwkParser() {
    }

    static Jwk parse(Map<String, Object> m) {
        String kty = string(m, "kty", true);
        String kid = string(m, "kid", false);
        Algorithm alg = alg(m);
        String use = string(m, "use", false);
        Set<String> ops = keyOps(m);
        return switch (kty) {
            case "oct" -> oct(m, kid, alg, use, ops);
            case "RSA" -> rsa(m, kid, alg, use, ops);
            case "EC" -> ec(m, kid, alg, use, ops);
            case "OKP" -> okp(m, kid, alg, use, ops);
            default -> throw JwtException.invalidKey("unsupported kty '" + kty + "'");
        };
    }

    private static OctJwk oct(Map<String, Object> m, String kid, Algorithm alg, String use, Set<String> ops) {
        byte[] k = bytes(m, "k", true);
        if (k.length == 0) {
            throw JwtException.invalidKey("empty oct key");
        }
        return new OctJwk(new SecretKeySpec(k, "HMAC"), kid, alg, use, ops);
    }

    private static RsaJwk rsa(Map<String, Object> m, String kid, Algorithm alg, String use, Set<String> ops) {
        BigInteger n = uint(m, "n", true);
        BigInteger e = uint(m, "e", true);
        if (m.containsKey("oth")) {
            throw JwtException.invalidKey("multi-prime RSA keys (oth) are not supported");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("RSA");
            RSAPublicKey pub = (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(n, e));
            RSAPrivateKey priv = null;
            BigInteger d = uint(m, "d", false);
            List<String> crt = List.of("p", "q", "dp", "dq", "qi");
            long crtPresent = crt.stream().filter(m::containsKey).count();
            if (d == null && crtPresent > 0) {
                throw JwtException.invalidKey("RSA CRT parameters without d");
            }
            if (d != null) {
                if (crtPresent == crt.size()) {
                    priv = (RSAPrivateKey) kf.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d,
                            uint(m, "p", true), uint(m, "q", true), uint(m, "dp", true),
                            uint(m, "dq", true), uint(m, "qi", true)));
                } else if (crtPresent == 0) {
                    priv = (RSAPrivateKey) kf.generatePrivate(new RSAPrivateKeySpec(n, d));
                } else {
                    throw JwtException.invalidKey("RSA private key with some but not all CRT parameters");
                }
            }
            return new RsaJwk(pub, priv, kid, alg, use, ops);
        } catch (GeneralSecurityException ex) {
            throw new JwtException(JwtException.Code.INVALID_KEY, null, "invalid RSA key", ex);
        }
    }

    private static EcJwk ec(Map<String, Object> m, String kid, Algorithm alg, String use, Set<String> ops) {
        String crv = string(m, "crv", true);
        EcCurve curve = EcCurve.fromJwk(crv)
                .orElseThrow(() -> JwtException.invalidKey("unsupported EC curve '" + crv + "'"));
        byte[] x = bytes(m, "x", true);
        byte[] y = bytes(m, "y", true);
        // RFC 7518 §6.2.1.2-3: coordinates are exactly the field size.
        if (x.length != curve.fieldBytes() || y.length != curve.fieldBytes()) {
            throw JwtException.invalidKey("EC coordinates must be " + curve.fieldBytes() + " bytes for " + crv);
        }
        ECPoint w = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        if (!curve.contains(w)) {
            throw JwtException.invalidKey("EC point is not on curve " + crv);
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            ECPublicKey pub = (ECPublicKey) kf.generatePublic(new ECPublicKeySpec(w, curve.spec()));
            ECPrivateKey priv = null;
            byte[] d = bytes(m, "d", false);
            if (d != null) {
                if (d.length != curve.fieldBytes()) {
                    throw JwtException.invalidKey("EC private key must be " + curve.fieldBytes() + " bytes");
                }
                BigInteger s = new BigInteger(1, d);
                if (s.signum() == 0 || s.compareTo(curve.order()) >= 0) {
                    throw JwtException.invalidKey("EC private scalar out of range");
                }
                priv = (ECPrivateKey) kf.generatePrivate(new ECPrivateKeySpec(s, curve.spec()));
            }
            EcJwk jwk = new EcJwk(curve, pub, priv, kid, alg, use, ops);
            if (priv != null) {
                KeyCheck.requireMatchingPair(jwk);
            }
            return jwk;
        } catch (GeneralSecurityException ex) {
            throw new JwtException(JwtException.Code.INVALID_KEY, null, "invalid EC key", ex);
        }
    }

    private static OkpJwk okp(Map<String, Object> m, String kid, Algorithm alg, String use, Set<String> ops) {
        String crv = string(m, "crv", true);
        if (!OkpJwk.CURVE.equals(crv)) {
            throw JwtException.invalidKey("unsupported OKP curve '" + crv + "' (only Ed25519 signs)");
        }
        var pub = OkpJwk.decodePublic(bytes(m, "x", true));
        byte[] d = bytes(m, "d", false);
        EdECPrivateKey priv = d == null ? null : OkpJwk.decodePrivate(d);
        OkpJwk jwk = new OkpJwk(pub, priv, kid, alg, use, ops);
        if (priv != null) {
            KeyCheck.requireMatchingPair(jwk);
        }
        return jwk;
    }

    // ---- member readers ----

    private static String string(Map<String, Object> m, String name, boolean required) {
        Object v = m.get(name);
        if (v == null) {
            if (required || m.containsKey(name)) {
                throw JwtException.invalidKey("JWK member '" + name + "' " + (required ? "is required" : "is null"));
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw JwtException.invalidKey("JWK member '" + name + "' must be a string");
        }
        return s;
    }

    private static Algorithm alg(Map<String, Object> m) {
        String name = string(m, "alg", false);
        if (name == null) {
            return null;
        }
        return Algorithm.fromJws(name)
                .orElseThrow(() -> JwtException.invalidKey("JWK alg '" + name + "' is not a JWS algorithm Jot supports"));
    }

    private static Set<String> keyOps(Map<String, Object> m) {
        if (!m.containsKey("key_ops")) {
            return Set.of();
        }
        if (!(m.get("key_ops") instanceof List<?> list) || list.isEmpty()) {
            throw JwtException.invalidKey("key_ops must be a non-empty array of strings");
        }
        Set<String> ops = new HashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s) || !ops.add(s)) {
                throw JwtException.invalidKey("key_ops must hold distinct strings");
            }
        }
        return ops;
    }

    private static byte[] bytes(Map<String, Object> m, String name, boolean required) {
        String s = string(m, name, required);
        if (s == null) {
            return null;
        }
        try {
            return Base64Url.decode(s);
        } catch (JwtException e) {
            throw JwtException.invalidKey("JWK member '" + name + "' is not base64url");
        }
    }

    private static BigInteger uint(Map<String, Object> m, String name, boolean required) {
        byte[] b = bytes(m, name, required);
        if (b == null) {
            return null;
        }
        if (b.length == 0) {
            throw JwtException.invalidKey("JWK member '" + name + "' is empty");
        }
        return new BigInteger(1, b);
    }
}
