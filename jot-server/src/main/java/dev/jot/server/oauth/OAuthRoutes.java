package dev.jot.server.oauth;

import dev.jot.guard.AuthResult;
import dev.jot.jwt.Claims;
import dev.jot.server.account.AccountService;
import dev.jot.server.account.User;
import dev.jot.server.client.CredentialService;
import dev.jot.server.config.ScopeToken;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.ErrorMapping;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.session.SessionService;
import dev.jot.server.token.Grant;
import dev.jot.server.token.Scopes;
import dev.jot.server.token.TokenParameters;
import dev.jot.server.token.TokenPolicy;
import dev.jot.server.token.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth 2.0 endpoints: token (RFC 6749 §4.3 password, §6 refresh and §4.4 client credentials grants),
 * revocation (RFC 7009) and introspection (RFC 7662). Requests are form-encoded (RFC 6749 Appendix B); errors use
 * the RFC 6749 §5.2 shape ({@link ErrorMapping#oauth}). Every token request may ask for a {@code scope} and name its
 * API ({@code resource}, RFC 8707, or {@code audience}).
 *
 * <p>The password and refresh grants are for the first-party public client: a {@code client_id} may be sent and
 * must then be {@value TokenService#FIRST_PARTY_CLIENT}. Client credentials are for confidential clients and API
 * keys, authenticated by {@code client_secret_basic} or {@code client_secret_post} ({@link ClientAuthentication}).
 */
public final class OAuthRoutes implements RouteTable {
    public static final String TOKEN = "/oauth2/token";
    public static final String REVOKE = "/oauth2/revoke";
    public static final String INTROSPECT = "/oauth2/introspect";
    /**
     * Introspection reveals token contents, so RFC 7662 §2.1 requires the caller to be authorized: an admin, or a
     * client with this scope.
     */
    public static final String INTROSPECT_SCOPE = Scopes.INTROSPECT;

    private final AccountService accounts;
    private final SessionService sessions;
    private final CredentialService credentials;
    private final TokenPolicy policy;
    private final Authentication auth;

    public OAuthRoutes(AccountService accounts, SessionService sessions, CredentialService credentials,
                       TokenPolicy policy, Authentication auth) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.credentials = credentials;
        this.policy = policy;
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
        String grant = required(form, "grant_type");
        TokenParameters asked = new TokenParameters(Optional.ofNullable(form.get("scope")),
                Optional.ofNullable(form.get("resource")), Optional.ofNullable(form.get("audience")));
        switch (grant) {
            case "password" -> {
                checkClient(form);
                // Before the password hash: a request that cannot be granted costs no Argon2 work.
                Grant granted = asked.grant(policy, policy.userScopes(), List.of());
                String username = required(form, "username");
                String password = required(form, "password");
                User user = accounts.login(username, password, ClientOrigin.addressOf(ctx));
                Responses.tokens(ctx, accounts.startSession(user, TokenService.FIRST_PARTY_CLIENT, granted)
                        .toResponse());
            }
            case "refresh_token" -> {
                checkClient(form);
                String refresh = required(form, "refresh_token");
                Responses.tokens(ctx, sessions.refresh(refresh, ClientOrigin.addressOf(ctx), asked).toResponse());
            }
            case "client_credentials" -> {
                ClientAuthentication client = ClientAuthentication.from(ctx, form).orElseThrow(() ->
                        new ServerException(ServerError.INVALID_CLIENT, "client authentication required: "
                                + "client_secret_basic or client_secret_post"));
                // RFC 6749 §4.4.3: no refresh token; the client authenticates again instead.
                Responses.tokens(ctx, credentials.clientCredentials(client.clientId(), client.secret(), client.basic(),
                        asked).toResponse());
            }
            default -> throw new ServerException(ServerError.UNSUPPORTED_GRANT_TYPE,
                    "supported: password, refresh_token, client_credentials");
        }
    }

    /**
     * RFC 7009 §2.2: 200 whether or not the token was valid, so callers learn nothing about tokens they send.
     * An access token is denied until it expires; a refresh token ends its session (§2.1).
     */
    private void revoke(Context ctx) {
        Map<String, String> form = form(ctx);
        revokingClient(ctx, form);
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

    /**
     * RFC 7662 §2.2: {@code active} and, for an active token, its claims; the caller's bearer token must be an
     * admin's or carry {@value #INTROSPECT_SCOPE}.
     */
    private void introspect(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        if (!caller.scopes().contains(INTROSPECT_SCOPE) && !caller.roles().contains(ScopeToken.ADMIN)) {
            throw new ServerException(ServerError.INSUFFICIENT_SCOPE, "The access token lacks the required scope")
                    .withArgument(INTROSPECT_SCOPE);
        }
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
        if (c.get("roles") != null) {
            m.put("roles", c.getStringList("roles"));
        }
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

    /**
     * RFC 7009 §2.1: a confidential client authenticates as at the token endpoint (its secret is checked, and a
     * wrong one refused); the first-party public client needs none.
     */
    private void revokingClient(Context ctx, Map<String, String> form) {
        String header = ctx.header("Authorization");
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic || form.containsKey("client_secret")) {
            ClientAuthentication c = ClientAuthentication.from(ctx, form).orElseThrow();
            credentials.checkClient(c.clientId(), c.secret(), c.basic());
        } else {
            checkClient(form);
        }
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
