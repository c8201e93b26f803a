package dev.jot.server.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.session.SessionRoutes;
import dev.jot.server.session.SessionService;
import dev.jot.server.token.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /register} and {@code POST /login} (which starts a session: see {@link SessionService}). */
public final class AccountRoutes implements RouteTable {
    private final AccountService accounts;
    private final SessionService sessions;

    public AccountRoutes(AccountService accounts, SessionService sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/register", this::register);
        routes.post("/login", this::login);
    }

    private void register(Context ctx) {
        ObjectNode body = Requests.jsonObject(ctx);
        User user = accounts.register(Requests.requiredString(body, "username"),
                Requests.requiredString(body, "password"), ctx.ip());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("username", user.username());
        out.put("created_at", user.createdAt().toString());
        Responses.json(ctx, 201, out);
    }

    private void login(Context ctx) {
        Credentials c = Credentials.from(ctx);
        User user = accounts.login(c.username(), c.password(), ctx.ip());
        SessionRoutes.writePair(ctx, sessions.start(user, TokenService.FIRST_PARTY_CLIENT));
    }
}
