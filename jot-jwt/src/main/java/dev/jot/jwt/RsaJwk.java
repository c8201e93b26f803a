package dev.jot.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An RSA key ({@code kty: RSA}) for RS* and PS*: a public key and optionally its private key. Moduli under
 * 2048 bits (RFC 7518 §3.3), even or tiny public exponents, and ROCA-vulnerable moduli (CVE-2017-15361) are
 * rejected.
 */
public record RsaJwk(RSAPublicKey publicKey, RSAPrivateKey privateKey, String kid, Algorithm alg, String use,
                     Set<String> keyOps) implements Jwk {

    public static final int MIN_BITS = 2048;

    public RsaJwk {
        keyOps = Set.copyOf(keyOps);
        BigInteger n = publicKey.getModulus();
        BigInteger e = publicKey.getPublicExponent();
        if (n.bitLength() < MIN_BITS) {
            throw JwtException.invalidKey("RSA modulus shorter than " + MIN_BITS + " bits");
        }
        if (!n.testBit(0)) {
            throw JwtException.invalidKey("RSA modulus is even");
        }
        if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0) || e.compareTo(n) >= 0) {
            throw JwtException.invalidKey("RSA public exponent must be odd and at least 3");
        }
        if (Roca.isVulnerable(n)) {
            throw JwtException.invalidKey("RSA modulus has the ROCA fingerprint (CVE-2017-15361)");
        }
        if (privateKey != null && !privateKey.getModulus().equals(n)) {
            throw JwtException.invalidKey("RSA private key does not match the public key");
        }
        if (privateKey instanceof RSAPrivateCrtKey crt
                && (!crt.getPrimeP().multiply(crt.getPrimeQ()).equals(n) || !crt.getPublicExponent().equals(e))) {
            throw JwtException.invalidKey("RSA CRT parameters do not match the modulus");
        }
        JwkRules.checkMeta("RSA", kid, alg, use, keyOps,
                a -> a.family() == Algorithm.Family.RSA || a.family() == Algorithm.Family.RSA_PSS);
    }

    /** Wraps a JCA private key; it must carry the CRT parameters so the public key can be derived. */
    public static RsaJwk ofPrivate(RSAPrivateKey privateKey) {
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw JwtException.invalidKey("RSA private key without CRT parameters: supply the public key too");
        }
        try {
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new RsaJwk(pub, privateKey, null, null, null, Set.of());
        } catch (GeneralSecurityException ex) {
            throw new JwtException(JwtException.Code.INVALID_KEY, null, "invalid RSA key", ex);
        }
    }

    @Override
    public String kty() {
        return "RSA";
    }

    @Override
    public boolean isPrivate() {
        return privateKey != null;
    }

    /** Modulus size in bits. */
    public int bits() {
        return publicKey.getModulus().bitLength();
    }

    @Override
    public RsaJwk toPublicJwk() {
        return new RsaJwk(publicKey, null, kid, alg, use, keyOps);
    }

    @Override
    public RsaJwk withKid(String newKid) {
        return new RsaJwk(publicKey, privateKey, newKid, alg, use, keyOps);
    }

    @Override
    public RsaJwk withAlg(Algorithm newAlg) {
        return new RsaJwk(publicKey, privateKey, kid, newAlg, use, keyOps);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "RSA");
        JwkMaps.putMeta(m, this);
        m.put("n", JwkMaps.uint(publicKey.getModulus()));
        m.put("e", JwkMaps.uint(publicKey.getPublicExponent()));
        if (privateKey != null) {
            m.put("d", JwkMaps.uint(privateKey.getPrivateExponent()));
            if (privateKey instanceof RSAPrivateCrtKey crt) {
                m.put("p", JwkMaps.uint(crt.getPrimeP()));
                m.put("q", JwkMaps.uint(crt.getPrimeQ()));
                m.put("dp", JwkMaps.uint(crt.getPrimeExponentP()));
                m.put("dq", JwkMaps.uint(crt.getPrimeExponentQ()));
                m.put("qi", JwkMaps.uint(crt.getCrtCoefficient()));
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RsaJwk other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return publicKey.getModulus().hashCode();
    }

    @Override
    public String toString() {
        return JwkRules.describe(this);
    }

    /**
     * The ROCA fingerprint test (Nemec et al., CCS 2017): moduli made by the vulnerable Infineon library are,
     * modulo each small prime p below, a power of 65537. A random modulus passes all these tests with
     * negligible probability.
     */
    static final class Roca {
        private static final int[] PRIMES = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
            71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
        private static final boolean[][] POWERS_OF_65537 = new boolean[PRIMES.length][];

        static {
            for (int i = 0; i < PRIMES.length; i++) {
                int p = PRIMES[i];
                boolean[] member = new boolean[p];
                int g = 65537 % p;
                int x = 1;
                do {
                    member[x] = true;
                    x = (x * g) % p;
                } while (x != 1);
                POWERS_OF_65537[i] = member;
            }
        }

        private Roca() {
        }

        static boolean isVulnerable(BigInteger n) {
            for (int i = 0; i < PRIMES.length; i++) {
                int r = n.mod(BigInteger.valueOf(PRIMES[i])).intValue();
                if (!POWERS_OF_65537[i][r]) {
                    return false;
                }
            }
            return true;
        }
    }
}
