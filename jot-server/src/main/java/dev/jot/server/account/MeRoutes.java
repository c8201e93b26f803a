package dev.jot.server.account;

import dev.jot.guard.Access;
import dev.jot.guard.AuthResult;
import dev.jot.guard.javalin.JotGuardPlugin;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /me}: the caller's profile, for a valid access token of an account that still exists. The token is
 * checked by jot-guard's Javalin plugin, as any API protected by Jot checks it: the route says what it needs.
 */
public final class MeRoutes implements RouteTable {
    private final RecentUsers users;

    public MeRoutes(UserRepository users) {
        this.users = new RecentUsers(users);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/me", this::me, JotGuardPlugin.requires(Access.authenticated()));
    }

    private void me(Context ctx) {
        AuthResult.Authenticated caller = JotGuardPlugin.auth(ctx);
        String id = caller.jwt().claims().subject().orElse("");
        // A valid signature is not enough: the account may have been removed or disabled since issuance.
        User user = users.findById(id).filter(u -> !u.disabled())
                .orElseThrow(() -> new ServerException(ServerError.TOKEN_INVALID, "The account of this token is no longer active"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("username", user.username());
        out.put("roles", user.roles());
        out.put("created_at", user.createdAt().toString());
        out.put("token", Map.of(
                "expires_at", caller.jwt().claims().expiresAt().map(Object::toString).orElse(""),
                "scope", caller.jwt().claims().getString("scope").orElse("")));
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 200, out);
    }
}
