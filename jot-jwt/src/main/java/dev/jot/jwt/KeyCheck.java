package dev.jot.jwt;

import java.nio.charset.StandardCharsets;

/** Proves that a private key belongs to its public key by signing and verifying a fixed message. */
final class KeyCheck {
    private static final byte[] PROBE = "jot key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyCheck() {
    }

    static void requireMatchingPair(Jwk jwk) {
        Algorithm alg = switch (jwk) {
            case EcJwk e -> switch (e.curve()) {
                case P_256 -> Algorithm.ES256;
                case P_384 -> Algorithm.ES384;
                case P_521 -> Algorithm.ES512;
            };
            case OkpJwk o -> Algorithm.EdDSA;
            case RsaJwk r -> Algorithm.RS256;
            case OctJwk o -> throw new IllegalArgumentException("symmetric key");
        };
        byte[] sig = Crypto.sign(alg, jwk, PROBE, 0, PROBE.length);
        if (!Crypto.verifyOnce(alg, jwk, PROBE, 0, PROBE.length, sig)) {
            throw JwtException.invalidKey("private key does not match the public key");
        }
    }
}
