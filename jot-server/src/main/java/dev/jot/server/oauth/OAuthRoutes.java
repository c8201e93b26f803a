package dev.jot.server.oauth;

import dev.jot.guard.AuthResult;
import dev.jot.jwt.Claims;
import dev.jot.server.account.AccountService;
import dev.jot.server.account.User;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.ErrorMapping;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.session.SessionService;
import dev.jot.server.token.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth 2.0 endpoints: token (RFC 6749 §4.3 password and §6 refresh grants), revocation (RFC 7009) and
 * introspection (RFC 7662). Requests are form-encoded (RFC 6749 Appendix B); errors use the RFC 6749 §5.2 shape
 * ({@link ErrorMapping#oauth}).
 * Clients are public for now: a {@code client_id} may be sent and must then be {@value TokenService#FIRST_PARTY_CLIENT}.
 */
public final class OAuthRoutes implements RouteTable {
    public static final String TOKEN = "/oauth2/token";
    public static final String REVOKE = "/oauth2/revoke";
    public static final String INTROSPECT = "/oauth2/introspect";
    /** Introspection reveals token contents, so RFC 7662 §2.1 requires the caller to be authorized: admins only. */
    public static final String INTROSPECT_ROLE = "admin";

    private final AccountService accounts;
    private final SessionService sessions;
    private final Authentication auth;

    public OAuthRoutes(AccountService accounts, SessionService sessions, Authentication auth) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(TOKEN, ErrorMapping.oauth(this::token));
        routes.post(REVOKE, ErrorMapping.oauth(this::revoke));
        routes.post(INTROSPECT, ErrorMapping.oauth(this::introspect));
    }

    private void token(Context ctx) {
        Map<String, String> form = form(ctx);
        checkClient(form);
        String scope = form.get("scope");
        if (scope != null && !scope.isBlank() && !scope.strip().equals(TokenService.DEFAULT_SCOPE)) {
            throw new ServerException(ServerError.INVALID_SCOPE, "the only scope is '" + TokenService.DEFAULT_SCOPE + "'");
        }
        String grant = required(form, "grant_type");
        switch (grant) {
            case "password" -> {
                String username = required(form, "username");
                String password = required(form, "password");
                User user = accounts.login(username, password, ClientOrigin.addressOf(ctx));
                Responses.tokens(ctx, accounts.startSession(user, TokenService.FIRST_PARTY_CLIENT).toResponse());
            }
            case "refresh_token" -> {
                String refresh = required(form, "refresh_token");
                Responses.tokens(ctx, sessions.refresh(refresh, ClientOrigin.addressOf(ctx)).toResponse());
            }
            default -> throw new ServerException(ServerError.UNSUPPORTED_GRANT_TYPE, "supported: password, refresh_token");
        }
    }

    /**
     * RFC 7009 §2.2: 200 whether or not the token was valid, so callers learn nothing about tokens they send.
     * An access token is denied until it expires; a refresh token ends its session (§2.1).
     */
    private void revoke(Context ctx) {
        Map<String, String> form = form(ctx);
        checkClient(form);
        String token = required(form, "token");
        if (looksLikeJwt(token)) {
            if (auth.check(token) instanceof AuthResult.Authenticated a) {
                sessions.revokeAccessToken(a.jwt());
            }
        } else {
            sessions.revokeRefreshToken(token);
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(200);
    }

    /** RFC 7662 §2.2: {@code active} and, for an active token, its claims; an admin bearer token is required. */
    private void introspect(Context ctx) {
        auth.require(ctx, INTROSPECT_ROLE);
        String token = required(form(ctx), "token");
        Map<String, Object> out;
        if (looksLikeJwt(token)) {
            out = auth.check(token) instanceof AuthResult.Authenticated a ? accessTokenInfo(a.jwt().claims())
                    : Map.of("active", false);
        } else {
            out = sessions.introspectRefreshToken(token);
        }
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 200, out);
    }

    private static Map<String, Object> accessTokenInfo(Claims c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        m.put("token_type", "Bearer");
        c.getString("scope").ifPresent(v -> m.put("scope", v));
        c.getString("client_id").ifPresent(v -> m.put("client_id", v));
        c.getString("preferred_username").ifPresent(v -> m.put("username", v));
        c.subject().ifPresent(v -> m.put("sub", v));
        c.issuer().ifPresent(v -> m.put("iss", v));
        if (!c.audience().isEmpty()) {
            m.put("aud", c.audience().size() == 1 ? c.audience().getFirst() : c.audience());
        }
        c.expiresAt().ifPresent(v -> m.put("exp", v.getEpochSecond()));
        c.issuedAt().ifPresent(v -> m.put("iat", v.getEpochSecond()));
        c.notBefore().ifPresent(v -> m.put("nbf", v.getEpochSecond()));
        c.jwtId().ifPresent(v -> m.put("jti", v));
        c.getString("sid").ifPresent(v -> m.put("sid", v));
        m.put("roles", c.getStringList("roles"));
        return m;
    }

    private static boolean looksLikeJwt(String token) {
        return token.indexOf('.') >= 0; // refresh tokens are base64url: never a dot
    }

    private static Map<String, String> form(Context ctx) {
        if (!Requests.isForm(ctx)) {
            throw ServerException.badRequest("the body must be application/x-www-form-urlencoded (RFC 6749 Appendix B)");
        }
        return Requests.form(ctx);
    }

    private static String required(Map<String, String> form, String name) {
        String v = form.get(name);
        if (v == null || v.isEmpty()) {
            throw ServerException.badRequest("missing parameter '" + name + "'");
        }
        return v;
    }

    private static void checkClient(Map<String, String> form) {
        String client = form.get("client_id");
        // RFC 6749 §3.2: an empty parameter is as if omitted. 400, not 401: no client authentication scheme is
        // offered yet, and a 401 must name one (RFC 9110 §15.5.2).
        if (client != null && !client.isEmpty() && !client.equals(TokenService.FIRST_PARTY_CLIENT)) {
            throw new ServerException(ServerError.INVALID_CLIENT, "unknown client");
        }
    }
}
