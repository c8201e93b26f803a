package dev.jot.server.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.guard.AuthResult;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.Fields;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.token.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * A user's API keys: {@code POST /api-keys} (the key shown once), {@code GET /api-keys}, {@code DELETE
 * /api-keys/{id}}. Managed with the token of a login: a key cannot make or remove keys, nor can a client.
 */
public final class ApiKeyRoutes implements RouteTable {
    public static final String PATH = "/api-keys";
    private static final Set<String> CREATE_FIELDS = Set.of("name", "scopes", "audiences", "expires_in");

    private final CredentialService credentials;
    private final Authentication auth;

    public ApiKeyRoutes(CredentialService credentials, Authentication auth) {
        this.credentials = credentials;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::list);
        routes.delete(PATH + "/{id}", this::delete);
    }

    private void create(Context ctx) {
        String owner = loggedInUser(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        Fields.only(body, CREATE_FIELDS);
        CredentialService.Created key = credentials.createApiKey(owner, Requests.requiredString(body, "name"),
                Fields.strings(body, "scopes"), Fields.strings(body, "audiences"), Fields.integer(body, "expires_in"),
                ClientOrigin.addressOf(ctx));
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 201, CredentialViews.createdApiKey(key));
    }

    private void list(Context ctx) {
        String owner = loggedInUser(ctx);
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 200, CredentialViews.list("api_keys",
                credentials.apiKeys(owner).stream().map(CredentialViews::apiKey).toList()));
    }

    private void delete(Context ctx) {
        String owner = loggedInUser(ctx);
        credentials.deleteApiKey(owner, ctx.pathParam("id"), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }

    /**
     * The user behind a token of a login (client {@value TokenService#FIRST_PARTY_CLIENT}, with a session). The
     * token of an API key or a client is refused: a leaked key must not be able to mint more keys.
     */
    private String loggedInUser(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        var claims = caller.jwt().claims();
        boolean login = claims.getString("client_id").filter(TokenService.FIRST_PARTY_CLIENT::equals).isPresent()
                && claims.getString("sid").isPresent();
        if (!login) {
            throw new ServerException(ServerError.INSUFFICIENT_SCOPE,
                    "API keys are managed with the token of a login, not of an API key or a client");
        }
        return claims.subject().orElseThrow();
    }
}
