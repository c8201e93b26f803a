package dev.jot.bench;

import java.security.Key;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/** jose4j: a JwtConsumer built once, requiring exp and checking iss and aud; only the one algorithm allowed. */
final class Jose4jContender implements Contender {
    private final Fixture f;
    private final String alg;
    private final Key signingKey;
    private final JwtConsumer consumer;

    Jose4jContender(Fixture f) {
        this.f = f;
        this.alg = switch (f.alg) {
            case HS256, RS256, ES256, EdDSA -> f.alg.jwsName();
            default -> throw new Unsupported("jose4j (in this benchmark)", f.alg);
        };
        Key verifyKey;
        if (f.alg == dev.jot.jwt.Algorithm.HS256) {
            signingKey = verifyKey = new HmacKey(f.secret());
        } else {
            signingKey = f.privateKey();
            verifyKey = f.publicKey();
        }
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer(Fixture.ISSUER)
                .setExpectedAudience(Fixture.AUDIENCE)
                .setVerificationKey(verifyKey)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg)
                .build();
    }

    @Override
    public Object sign() throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Fixture.ISSUER);
        claims.setSubject(Fixture.SUBJECT);
        claims.setAudience(Fixture.AUDIENCE);
        claims.setExpirationTime(NumericDate.fromSeconds(f.expiresAt.getEpochSecond()));
        claims.setIssuedAt(NumericDate.fromSeconds(f.issuedAt.getEpochSecond()));
        claims.setClaim("scope", Fixture.SCOPE);
        claims.setClaim("tenant", Fixture.TENANT);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey);
        jws.setKeyIdHeaderValue(f.kid());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(alg);
        return jws.getCompactSerialization();
    }

    @Override
    public Object verify(String token) throws Exception {
        return consumer.processToClaims(token);
    }
}
