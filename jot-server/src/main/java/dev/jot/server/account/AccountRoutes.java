package dev.jot.server.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.guard.AuthResult;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.token.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /register}, {@code POST /login} (which starts a session) and {@code POST /me/password} (which ends
 * the caller's other sessions).
 */
public final class AccountRoutes implements RouteTable {
    private final AccountService accounts;
    private final Authentication auth;

    public AccountRoutes(AccountService accounts, Authentication auth) {
        this.accounts = accounts;
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
        Credentials c = Credentials.from(ctx);
        User user = c.challengeIfBasic(() -> accounts.login(c.username(), c.password(), ClientOrigin.addressOf(ctx)));
        Responses.tokens(ctx, accounts.startSession(user, TokenService.FIRST_PARTY_CLIENT).toResponse());
    }

    private void changePassword(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        accounts.changePassword(caller.jwt(), Requests.requiredString(body, "current_password"),
                Requests.requiredString(body, "new_password"), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }
}
