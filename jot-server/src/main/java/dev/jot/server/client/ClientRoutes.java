package dev.jot.server.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.config.ScopeToken;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.Fields;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API of OAuth clients: {@code POST /admin/clients} (the secret shown once), {@code GET /admin/clients},
 * {@code GET} and {@code DELETE /admin/clients/{id}}, {@code POST /admin/clients/{id}/secrets} (a second live
 * secret, for rotation without downtime) and {@code DELETE /admin/clients/{id}/secrets/{sid}}. Admins only.
 */
public final class ClientRoutes implements RouteTable {
    public static final String PATH = "/admin/clients";
    private static final Set<String> CREATE_FIELDS = Set.of("name", "scopes", "audiences");

    private final CredentialService credentials;
    private final Authentication auth;

    public ClientRoutes(CredentialService credentials, Authentication auth) {
        this.credentials = credentials;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::list);
        routes.get(PATH + "/{id}", this::get);
        routes.delete(PATH + "/{id}", this::delete);
        routes.post(PATH + "/{id}/secrets", this::addSecret);
        routes.delete(PATH + "/{id}/secrets/{sid}", this::removeSecret);
    }

    private void create(Context ctx) {
        String admin = admin(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        Fields.only(body, CREATE_FIELDS);
        List<String> scopes = Fields.strings(body, "scopes").orElseThrow(
                () -> ServerException.badRequest("missing field 'scopes'"));
        CredentialService.Created client = credentials.createClient(admin, Requests.requiredString(body, "name"),
                scopes, Fields.strings(body, "audiences"), ClientOrigin.addressOf(ctx));
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 201, CredentialViews.createdClient(client));
    }

    private void list(Context ctx) {
        admin(ctx);
        Responses.json(ctx, 200, CredentialViews.list("clients",
                credentials.clients().stream().map(CredentialViews::client).toList()));
    }

    private void get(Context ctx) {
        admin(ctx);
        Responses.json(ctx, 200, CredentialViews.client(credentials.client(ctx.pathParam("id"))));
    }

    private void delete(Context ctx) {
        credentials.deleteClient(admin(ctx), ctx.pathParam("id"), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }

    private void addSecret(Context ctx) {
        String admin = admin(ctx);
        Fields.none(ctx);
        CredentialService.NewSecret added = credentials.addSecret(admin, ctx.pathParam("id"),
                ClientOrigin.addressOf(ctx));
        Map<String, Object> out = new LinkedHashMap<>(CredentialViews.secret(added.info()));
        out.put("client_secret", added.secret());
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 201, out);
    }

    private void removeSecret(Context ctx) {
        credentials.removeSecret(admin(ctx), ctx.pathParam("id"), ctx.pathParam("sid"), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }

    /** The acting admin's id; 401/403 problem documents otherwise. */
    private String admin(Context ctx) {
        return auth.require(ctx, ScopeToken.ADMIN).jwt().claims().subject().orElseThrow();
    }
}
