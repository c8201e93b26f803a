package dev.jot.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Mac;

/**
 * The signature primitives, one code path for JWS and for the raw vector tests. Instances hold pooled,
 * already-initialised JCA objects, so a verify costs only the crypto itself.
 */
final class Crypto {

    private Crypto() {
    }

    /** Verifies signatures made with one algorithm and one key. Thread-safe. */
    interface Check {
        boolean verify(byte[] input, int offset, int length, byte[] signature);
    }

    /** Makes signatures with one algorithm and one private or secret key. Thread-safe. */
    interface Sign {
        byte[] sign(byte[] input, int offset, int length);
    }

    static Check check(Algorithm alg, Jwk key) {
        if (!JwkRules.suitsFamily(key, alg)) {
            throw JwtException.invalidKey(alg + " cannot be used with " + key);
        }
        return switch (key) {
            case OctJwk o -> new HmacCheck(macPool(alg, o));
            case RsaJwk r -> jcaCheck(alg, r.publicKey());
            case EcJwk e -> new EcdsaCheck(e.curve(), jcaCheck(alg, e.publicKey()));
            case OkpJwk o -> jcaCheck(alg, o.publicKey());
        };
    }

    static Sign signer(Algorithm alg, Jwk key) {
        if (!JwkRules.suitsFamily(key, alg)) {
            throw JwtException.invalidKey(alg + " cannot be used with " + key);
        }
        if (!key.isPrivate()) {
            throw JwtException.invalidKey("signing needs a private or secret key");
        }
        return switch (key) {
            case OctJwk o -> hmacSign(macPool(alg, o));
            case RsaJwk r -> jcaSign(alg, r.privateKey());
            case EcJwk e -> jcaSign(alg, e.privateKey());
            case OkpJwk o -> jcaSign(alg, o.privateKey());
        };
    }

    static byte[] sign(Algorithm alg, Jwk key, byte[] input, int offset, int length) {
        return signer(alg, key).sign(input, offset, length);
    }

    static boolean verifyOnce(Algorithm alg, Jwk key, byte[] input, int offset, int length, byte[] sig) {
        return check(alg, key).verify(input, offset, length, sig);
    }

    // ---- HMAC ----

    private static Pool<Mac> macPool(Algorithm alg, OctJwk key) {
        Pool<Mac> pool = new Pool<>(() -> {
            try {
                Mac mac = Mac.getInstance(alg.jcaName());
                mac.init(key.secret());
                return mac;
            } catch (GeneralSecurityException e) {
                throw new JwtException(JwtException.Code.INVALID_KEY, null, "cannot initialise " + alg, e);
            }
        });
        pool.give(pool.take()); // fail at build time, not at the first token
        return pool;
    }

    private record HmacCheck(Pool<Mac> macs) implements Check {
        @Override
        public boolean verify(byte[] input, int offset, int length, byte[] signature) {
            Mac mac = macs.take();
            byte[] expected;
            try {
                mac.update(input, offset, length);
                expected = mac.doFinal();
            } finally {
                macs.give(mac);
            }
            // Constant time for equal lengths; the length itself is public (RFC 7518 §3.2).
            return MessageDigest.isEqual(expected, signature);
        }
    }

    private static Sign hmacSign(Pool<Mac> macs) {
        return (input, offset, length) -> {
            Mac mac = macs.take();
            try {
                mac.update(input, offset, length);
                return mac.doFinal();
            } finally {
                macs.give(mac);
            }
        };
    }

    // ---- RSA, RSA-PSS, ECDSA, EdDSA through java.security.Signature ----

    private static Signature newSignature(Algorithm alg) throws GeneralSecurityException {
        Signature s = Signature.getInstance(alg.jcaName());
        if (alg.family() == Algorithm.Family.RSA_PSS) {
            // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
            String hash = "SHA-" + alg.hashBytes() * 8;
            MGF1ParameterSpec mgf = switch (alg.hashBytes()) {
                case 32 -> MGF1ParameterSpec.SHA256;
                case 48 -> MGF1ParameterSpec.SHA384;
                default -> MGF1ParameterSpec.SHA512;
            };
            s.setParameter(new PSSParameterSpec(hash, "MGF1", mgf, alg.hashBytes(), 1));
        }
        return s;
    }

    private static Check jcaCheck(Algorithm alg, PublicKey key) {
        Pool<Signature> pool = new Pool<>(() -> {
            try {
                Signature s = newSignature(alg);
                s.initVerify(key);
                return s;
            } catch (GeneralSecurityException e) {
                throw new JwtException(JwtException.Code.INVALID_KEY, null, "cannot initialise " + alg, e);
            }
        });
        pool.give(pool.take());
        return (input, offset, length, signature) -> {
            Signature s = pool.take();
            boolean reusable = false;
            try {
                s.update(input, offset, length);
                boolean ok = s.verify(signature);
                reusable = true; // verify() resets the object whatever its answer
                return ok;
            } catch (SignatureException e) {
                // Malformed signature (wrong length, bad encoding): not valid. A failed verify leaves the
                // object in an unknown state, so it is not returned to the pool.
                return false;
            } finally {
                if (reusable) {
                    pool.give(s);
                }
            }
        };
    }

    private static Sign jcaSign(Algorithm alg, PrivateKey key) {
        Pool<Signature> pool = new Pool<>(() -> {
            try {
                Signature s = newSignature(alg);
                s.initSign(key);
                return s;
            } catch (GeneralSecurityException e) {
                throw new JwtException(JwtException.Code.INVALID_KEY, null, "cannot initialise " + alg, e);
            }
        });
        pool.give(pool.take());
        return (input, offset, length) -> {
            Signature s = pool.take();
            try {
                s.update(input, offset, length);
                byte[] sig = s.sign();
                pool.give(s);
                return sig;
            } catch (SignatureException e) {
                throw new IllegalStateException("signing failed", e);
            }
        };
    }

    /**
     * ECDSA in the JWS P1363 form (r‖s, each exactly the field size, RFC 7518 §3.4). Length and the range
     * 1 ≤ r, s ≤ n-1 are checked before the JCA sees the signature, so r = s = 0 ("psychic signatures",
     * CVE-2022-21449) can never verify, whatever the JDK.
     */
    private record EcdsaCheck(EcCurve curve, Check jca) implements Check {
        @Override
        public boolean verify(byte[] input, int offset, int length, byte[] signature) {
            int n = curve.fieldBytes();
            if (signature.length != 2 * n) {
                return false;
            }
            BigInteger order = curve.order();
            BigInteger r = new BigInteger(1, signature, 0, n);
            BigInteger s = new BigInteger(1, signature, n, n);
            if (r.signum() == 0 || s.signum() == 0 || r.compareTo(order) >= 0 || s.compareTo(order) >= 0) {
                return false;
            }
            return jca.verify(input, offset, length, signature);
        }
    }
}
