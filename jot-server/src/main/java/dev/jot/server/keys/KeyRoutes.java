package dev.jot.server.keys;

import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;

/**
 * {@code GET /.well-known/jwks.json} (RFC 7517 §5): the public keys that verify this server's tokens. Verifiers may
 * cache it for {@link SigningKeys#JWKS_MAX_AGE} (RFC 9111 §5.2.2.1); a key is published at least that long before
 * it signs, so a cached copy always knows the {@code kid} of a fresh token.
 */
public final class KeyRoutes implements RouteTable {
    static final String CACHE_CONTROL = "public, max-age=" + SigningKeys.JWKS_MAX_AGE.toSeconds();

    private final SigningKeys keys;

    public KeyRoutes(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/.well-known/jwks.json", ctx -> ctx
                .header("Cache-Control", CACHE_CONTROL)
                .contentType("application/jwk-set+json")
                .result(keys.publicJwksJson()));
    }
}
