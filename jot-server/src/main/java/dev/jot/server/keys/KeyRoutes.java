package dev.jot.server.keys;

import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;

/** {@code GET /.well-known/jwks.json} (RFC 7517 §5): the public keys that verify this server's tokens. */
public final class KeyRoutes implements RouteTable {
    private final SigningKeys keys;

    public KeyRoutes(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/.well-known/jwks.json", ctx -> ctx
                .header("Cache-Control", "public, max-age=300")
                .contentType("application/jwk-set+json")
                .result(keys.publicJwksJson()));
    }
}
