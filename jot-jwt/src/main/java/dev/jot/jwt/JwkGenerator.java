package dev.jot.jwt;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/** Fresh keys: HMAC secrets as long as the hash, RSA 2048-bit with e = 65537, EC on the algorithm's curve. */
final class JwkGenerator {
    private static final SecureRandom RANDOM = new SecureRandom();

    private JwkGenerator() {
    }

    static Jwk generate(Algorithm alg, String kid) {
        String id = kid != null ? kid : randomKid();
        try {
            return switch (alg.family()) {
                case HMAC -> {
                    byte[] secret = new byte[alg.hashBytes()];
                    RANDOM.nextBytes(secret);
                    yield new OctJwk(new SecretKeySpec(secret, "HMAC"), id, alg, "sig", Set.of());
                }
                case RSA, RSA_PSS -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
                    KeyPair kp = g.generateKeyPair();
                    yield new RsaJwk((RSAPublicKey) kp.getPublic(), (RSAPrivateKey) kp.getPrivate(),
                            id, alg, "sig", Set.of());
                }
                case ECDSA -> {
                    EcCurve curve = alg.curve().orElseThrow();
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(curve.stdName()), RANDOM);
                    KeyPair kp = g.generateKeyPair();
                    yield new EcJwk(curve, (ECPublicKey) kp.getPublic(), (ECPrivateKey) kp.getPrivate(),
                            id, alg, "sig", Set.of());
                }
                case EDDSA -> {
                    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    yield new OkpJwk((EdECPublicKey) kp.getPublic(), (EdECPrivateKey) kp.getPrivate(),
                            id, alg, "sig", Set.of());
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot generate " + alg + " keys", e);
        }
    }

    /** 128 random bits, base64url: unguessable and safe in any header or URL. */
    static String randomKid() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64Url.encode(b);
    }
}
