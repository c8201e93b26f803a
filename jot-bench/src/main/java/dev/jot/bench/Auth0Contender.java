package dev.jot.bench;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** auth0 java-jwt. It has no EdDSA (and no PSS), so those benchmarks leave it out. */
final class Auth0Contender implements Contender {
    private final Fixture f;
    private final Algorithm signing;
    private final JWTVerifier verifier;

    Auth0Contender(Fixture f) {
        this.f = f;
        this.signing = switch (f.alg) {
            case HS256 -> Algorithm.HMAC256(f.secret());
            case RS256 -> Algorithm.RSA256((RSAPublicKey) f.publicKey(), (RSAPrivateKey) f.privateKey());
            case ES256 -> Algorithm.ECDSA256((ECPublicKey) f.publicKey(), (ECPrivateKey) f.privateKey());
            default -> throw new Unsupported("auth0 java-jwt", f.alg);
        };
        // Verifies with the public half only for asymmetric keys.
        Algorithm verifying = switch (f.alg) {
            case HS256 -> signing;
            case RS256 -> Algorithm.RSA256((RSAPublicKey) f.publicKey(), null);
            default -> Algorithm.ECDSA256((ECPublicKey) f.publicKey(), null);
        };
        this.verifier = JWT.require(verifying)
                .withIssuer(Fixture.ISSUER)
                .withAudience(Fixture.AUDIENCE)
                .withClaimPresence("exp")
                .build();
    }

    @Override
    public Object sign() {
        return JWT.create()
                .withKeyId(f.kid())
                .withIssuer(Fixture.ISSUER)
                .withSubject(Fixture.SUBJECT)
                .withAudience(Fixture.AUDIENCE)
                .withExpiresAt(f.expiresAt)
                .withIssuedAt(f.issuedAt)
                .withClaim("scope", Fixture.SCOPE)
                .withClaim("tenant", Fixture.TENANT)
                .sign(signing);
    }

    @Override
    public Object verify(String token) {
        return verifier.verify(token);
    }
}
