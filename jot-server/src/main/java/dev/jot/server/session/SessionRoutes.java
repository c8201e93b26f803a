package dev.jot.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.guard.AuthResult;
import dev.jot.server.http.ApiProblem;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code POST /refresh}, {@code POST /logout}, {@code POST /logout/all} and {@code POST /me/password}. */
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
        routes.post("/me/password", this::changePassword);
    }

    private void refresh(Context ctx) {
        String token = Requests.requiredString(Requests.jsonObject(ctx), "refresh_token");
        writePair(ctx, sessions.refresh(token, ctx.ip()));
    }

    private void logout(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        Optional<String> refresh = Optional.empty();
        if (ctx.req().getContentLengthLong() != 0 && Requests.isJson(ctx)) {
            JsonNode n = Requests.jsonObject(ctx).get("refresh_token");
            if (n != null && !n.isNull()) {
                if (!n.isTextual()) {
                    throw ApiProblem.badRequest("field 'refresh_token' must be a string");
                }
                refresh = Optional.of(n.textValue());
            }
        }
        sessions.logout(caller.jwt(), refresh, ctx.ip());
        ctx.status(204);
    }

    private void logoutAll(Context ctx) {
        sessions.logoutAll(auth.require(ctx).jwt(), ctx.ip());
        ctx.status(204);
    }

    private void changePassword(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        sessions.changePassword(caller.jwt(), Requests.requiredString(body, "current_password"),
                Requests.requiredString(body, "new_password"), ctx.ip());
        ctx.status(204);
    }

    /** The RFC 6749 §5.1 success body, shared by /login, /refresh and /oauth2/token. */
    public static void writePair(Context ctx, TokenPair pair) {
        // RFC 6749 §5.1: responses carrying tokens must not be cached.
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Responses.json(ctx, 200, pairBody(pair));
    }

    static Map<String, Object> pairBody(TokenPair pair) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", pair.access().token());
        out.put("token_type", "Bearer");
        out.put("expires_in", pair.access().expiresIn());
        out.put("refresh_token", pair.refreshToken());
        out.put("scope", dev.jot.server.token.TokenService.DEFAULT_SCOPE);
        return out;
    }
}
