package dev.jot.server.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.guard.AuthResult;
import dev.jot.server.client.CredentialService;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.token.TokenParameters;
import dev.jot.server.token.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /register}, {@code POST /login} (a password starts a session; an API key gets an access token alone)
 * and {@code POST /me/password} (which ends the caller's other sessions).
 */
public final class AccountRoutes implements RouteTable {
    /** Where {@code POST /login} takes an API key. */
    public static final String API_KEY_HEADER = "X-API-Key";

    private final AccountService accounts;
    private final CredentialService credentials;
    private final Authentication auth;

    public AccountRoutes(AccountService accounts, CredentialService credentials, Authentication auth) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/register", this::register);
        routes.post("/login", this::login);
        routes.post("/me/password", this::changePassword);
    }

    private void register(Context ctx) {
        ObjectNode body = Requests.jsonObject(ctx);
        User user = accounts.register(Requests.requiredString(body, "username"),
                Requests.requiredString(body, "password"), ClientOrigin.addressOf(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("username", user.username());
        out.put("created_at", user.createdAt().toString());
        Responses.json(ctx, 201, out);
    }

    private void login(Context ctx) {
        Optional<String> key = apiKey(ctx);
        if (key.isPresent()) {
            Responses.tokens(ctx, credentials.exchangeApiKey(key.get(), TokenParameters.NONE).toResponse());
            return;
        }
        Credentials c = Credentials.from(ctx);
        User user = c.challengeIfBasic(() -> accounts.login(c.username(), c.password(), ClientOrigin.addressOf(ctx)));
        Responses.tokens(ctx, accounts.startSession(user, TokenService.FIRST_PARTY_CLIENT).toResponse());
    }

    /**
     * An API key to trade for an access token (the tutorials' exchange): in the {@value #API_KEY_HEADER} header, or
     * as the only member of a JSON body, {@code {"api_key": "..."}}. Empty for a password login.
     */
    private static Optional<String> apiKey(Context ctx) {
        boolean authorization = ctx.header("Authorization") != null;
        String header = ctx.header(API_KEY_HEADER);
        if (header != null) {
            if (authorization) {
                throw ServerException.badRequest("send an API key or credentials, not both");
            }
            return Optional.of(header.strip());
        }
        if (authorization || !Requests.isJson(ctx)) {
            return Optional.empty();
        }
        ObjectNode body = Requests.jsonObject(ctx); // kept: Credentials reads the same body if this is no key
        if (!body.has("api_key")) {
            return Optional.empty();
        }
        if (body.size() != 1) {
            throw ServerException.badRequest("a body with 'api_key' holds nothing else");
        }
        return Optional.of(Requests.requiredString(body, "api_key"));
    }

    private void changePassword(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        accounts.changePassword(caller.jwt(), Requests.requiredString(body, "current_password"),
                Requests.requiredString(body, "new_password"), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }
}
