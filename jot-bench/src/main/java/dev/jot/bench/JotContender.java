package dev.jot.bench;

import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.OctJwk;

/** jot-jwt as an application would use it: a signer and a verifier built once and shared. */
final class JotContender implements Contender {
    private final Fixture f;
    private final JwtSigner signer;
    private final JwtVerifier verifier;

    JotContender(Fixture f) {
        this.f = f;
        this.signer = JwtSigner.builder(f.jwk).build();
        // exp is required by default; the verifier holds only the public half of an asymmetric key.
        this.verifier = JwtVerifier.builder()
                .key(f.jwk instanceof OctJwk ? f.jwk : f.jwk.toPublicJwk())
                .issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE)
                .build();
    }

    @Override
    public Object sign() {
        return signer.sign(f.claims());
    }

    @Override
    public Object verify(String token) {
        return verifier.verify(token);
    }
}
