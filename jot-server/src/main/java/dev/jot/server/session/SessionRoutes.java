package dev.jot.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jot.guard.AuthResult;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;

/** {@code POST /refresh}, {@code POST /logout} and {@code POST /logout/all}. */
public final class SessionRoutes implements RouteTable {
    private final SessionService sessions;
    private final Authentication auth;

    public SessionRoutes(SessionService sessions, Authentication auth) {
        this.sessions = sessions;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/refresh", this::refresh);
        routes.post("/logout", this::logout);
        routes.post("/logout/all", this::logoutAll);
    }

    private void refresh(Context ctx) {
        String token = Requests.requiredString(Requests.jsonObject(ctx), "refresh_token");
        Responses.tokens(ctx, sessions.refresh(token, ClientOrigin.addressOf(ctx)).toResponse());
    }

    private void logout(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        Optional<String> refresh = Optional.empty();
        if (ctx.req().getContentLengthLong() != 0 && Requests.isJson(ctx)) {
            JsonNode n = Requests.jsonObject(ctx).get("refresh_token");
            if (n != null && !n.isNull()) {
                if (!n.isTextual()) {
                    throw ServerException.badRequest("field 'refresh_token' must be a string");
                }
                refresh = Optional.of(n.textValue());
            }
        }
        sessions.logout(caller.jwt(), refresh, ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }

    private void logoutAll(Context ctx) {
        sessions.logoutAll(auth.require(ctx).jwt(), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }
}
