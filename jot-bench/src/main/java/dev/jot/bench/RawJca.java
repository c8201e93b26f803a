package dev.jot.bench;

import dev.jot.jwt.Algorithm;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Mac;

/**
 * The crypto floor: one pre-initialised Mac or Signature over the token's exact signing input and signature
 * bytes. No base64, no JSON, no claims: whatever a library measures above this is its own overhead.
 */
final class RawJca implements Contender {
    private final Fixture f;
    private final Mac mac;
    private final Signature signer;
    private final Signature verifier;

    RawJca(Fixture f) throws GeneralSecurityException {
        this.f = f;
        if (f.alg == Algorithm.HS256) {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(f.hmacKey());
            signer = verifier = null;
        } else {
            mac = null;
            signer = signature(f.alg);
            signer.initSign(f.privateKey());
            verifier = signature(f.alg);
            verifier.initVerify(f.publicKey());
        }
    }

    /** JWS algorithm → JCA (RFC 7518 §3): ECDSA in the raw r‖s form JWS uses, PSS with salt = hash length. */
    private static Signature signature(Algorithm alg) throws GeneralSecurityException {
        return switch (alg) {
            case RS256 -> Signature.getInstance("SHA256withRSA");
            case ES256 -> Signature.getInstance("SHA256withECDSAinP1363Format");
            case EdDSA -> Signature.getInstance("Ed25519");
            case PS256 -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
            default -> throw new Unsupported("raw JCA (in this benchmark)", alg);
        };
    }

    @Override
    public Object sign() throws GeneralSecurityException {
        if (mac != null) {
            return mac.doFinal(f.signingInput);
        }
        signer.update(f.signingInput);
        return signer.sign();
    }

    /** Ignores {@code token}: it always checks the fixture's token, whose bytes were split off at setup. */
    @Override
    public Object verify(String token) throws GeneralSecurityException {
        boolean ok;
        if (mac != null) {
            ok = MessageDigest.isEqual(mac.doFinal(f.signingInput), f.signature);
        } else {
            verifier.update(f.signingInput);
            ok = verifier.verify(f.signature);
        }
        if (!ok) {
            throw new GeneralSecurityException("signature does not verify");
        }
        return Boolean.TRUE;
    }
}
