package dev.jot.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * vertx-auth-jwt standalone: {@code JWTAuth.create(null, options)}, no Vert.x instance. The keys go in as
 * JWKs (Jot's own JSON form). Vert.x checks exp whenever present; iss and aud come from JWTOptions.
 */
final class VertxContender implements Contender {
    private final Fixture f;
    private final JWTAuth signing;
    private final JWTAuth verifying;
    private final JWTOptions signOptions;

    VertxContender(Fixture f) {
        this.f = f;
        if (f.alg == dev.jot.jwt.Algorithm.PS256) {
            throw new Unsupported("vertx (in this benchmark)", f.alg);
        }
        this.signing = JWTAuth.create(null, new JWTAuthOptions().addJwk(new JsonObject(f.jwkMap(true))));
        this.verifying = JWTAuth.create(null, new JWTAuthOptions()
                .addJwk(new JsonObject(f.jwkMap(false)))
                .setJWTOptions(new JWTOptions().setIssuer(Fixture.ISSUER).addAudience(Fixture.AUDIENCE)));
        // The claims carry iat and exp themselves: Vert.x must not add its own.
        this.signOptions = new JWTOptions().setAlgorithm(f.alg.jwsName()).setNoTimestamp(true);
    }

    @Override
    public Object sign() {
        JsonObject claims = new JsonObject()
                .put("iss", Fixture.ISSUER)
                .put("sub", Fixture.SUBJECT)
                .put("aud", Fixture.AUDIENCE)
                .put("exp", f.expiresAt.getEpochSecond())
                .put("iat", f.issuedAt.getEpochSecond())
                .put("scope", Fixture.SCOPE)
                .put("tenant", Fixture.TENANT);
        return signing.generateToken(claims, signOptions);
    }

    @Override
    public Object verify(String token) throws Exception {
        Future<User> result = verifying.authenticate(new TokenCredentials(token));
        // Without a Vert.x instance the future is already complete; block only if that ever changes.
        if (!result.isComplete()) {
            return result.toCompletionStage().toCompletableFuture().get();
        }
        if (result.failed()) {
            throw new Exception(result.cause());
        }
        return result.result();
    }
}
