package dev.jot.bench;

import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.security.Key;
import java.util.Date;

/** jjwt 0.13 with its Jackson serializer; exp is checked whenever present (jjwt cannot demand it). */
final class JjwtContender implements Contender {
    private final Fixture f;
    private final Key signingKey;
    private final SecureDigestAlgorithm<Key, ?> alg;
    private final JwtParser parser;

    @SuppressWarnings("unchecked")
    JjwtContender(Fixture f) {
        this.f = f;
        Object a = switch (f.alg) {
            case HS256 -> Jwts.SIG.HS256;
            case RS256 -> Jwts.SIG.RS256;
            case ES256 -> Jwts.SIG.ES256;
            case EdDSA -> Jwts.SIG.EdDSA;
            default -> throw new Unsupported("jjwt (in this benchmark)", f.alg);
        };
        this.alg = (SecureDigestAlgorithm<Key, ?>) a;
        var builder = Jwts.parser().requireIssuer(Fixture.ISSUER).requireAudience(Fixture.AUDIENCE);
        if (f.alg == dev.jot.jwt.Algorithm.HS256) {
            signingKey = f.hmacKey();
            builder.verifyWith(f.hmacKey());
        } else {
            signingKey = f.privateKey();
            builder.verifyWith(f.publicKey());
        }
        this.parser = builder.build();
    }

    @Override
    public Object sign() {
        return Jwts.builder()
                .header().keyId(f.kid()).type("JWT").and()
                .issuer(Fixture.ISSUER)
                .subject(Fixture.SUBJECT)
                .audience().single(Fixture.AUDIENCE)
                .expiration(Date.from(f.expiresAt))
                .issuedAt(Date.from(f.issuedAt))
                .claim("scope", Fixture.SCOPE)
                .claim("tenant", Fixture.TENANT)
                .signWith(signingKey, alg)
                .compact();
    }

    @Override
    public Object verify(String token) {
        return parser.parseSignedClaims(token).getPayload();
    }
}
