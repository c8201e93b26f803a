package dev.jot.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.audit.AuditRepository;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientOrigin;
import dev.jot.server.http.Fields;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.keys.SigningKeys;
import dev.jot.server.session.SessionService;
import dev.jot.server.store.Cursor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The admin API besides clients ({@code client.ClientRoutes}): users, sessions, the audit log and signing keys.
 * Every route needs the {@code admin} role (401 and 403 problem documents otherwise); every change is audited with
 * the acting admin. Lists are pages in a stable order: {@code limit} items and a {@code next_cursor} to continue.
 */
public final class AdminRoutes implements RouteTable {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "roles");
    private static final Set<String> PATCH_FIELDS = Set.of("disabled", "roles");

    private final UserAdministration users;
    private final SessionService sessions;
    private final AuditLog audit;
    private final SigningKeys keys;
    private final Authentication auth;

    public AdminRoutes(UserAdministration users, SessionService sessions, AuditLog audit, SigningKeys keys,
                       Authentication auth) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.keys = keys;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/admin/users", this::listUsers);
        routes.post("/admin/users", this::createUser);
        routes.get("/admin/users/{id}", this::getUser);
        routes.patch("/admin/users/{id}", this::patchUser);
        routes.delete("/admin/users/{id}", this::deleteUser);
        routes.get("/admin/sessions", this::listSessions);
        routes.delete("/admin/sessions/{id}", this::endSession);
        routes.get("/admin/audit", this::searchAudit);
        routes.post("/admin/keys/rotate", this::rotateKeys);
    }

    private void listUsers(Context ctx) {
        admin(ctx);
        var page = users.page(Fields.query(ctx, "q"), cursor(ctx), Fields.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT));
        Responses.json(ctx, 200, AdminViews.page("users", page, AdminViews::user));
    }

    private void createUser(Context ctx) {
        String admin = admin(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        Fields.only(body, CREATE_FIELDS);
        var user = users.create(admin, Requests.requiredString(body, "username"),
                Requests.requiredString(body, "password"), Fields.strings(body, "roles").orElse(List.of()),
                ClientOrigin.addressOf(ctx));
        Responses.json(ctx, 201, AdminViews.user(user));
    }

    private void getUser(Context ctx) {
        admin(ctx);
        Responses.json(ctx, 200, AdminViews.user(users.get(ctx.pathParam("id"))));
    }

    private void patchUser(Context ctx) {
        String admin = admin(ctx);
        ObjectNode body = Requests.jsonObject(ctx);
        Fields.only(body, PATCH_FIELDS);
        var user = users.update(admin, ctx.pathParam("id"), Fields.bool(body, "disabled"),
                Fields.strings(body, "roles"), ClientOrigin.addressOf(ctx));
        Responses.json(ctx, 200, AdminViews.user(user));
    }

    private void deleteUser(Context ctx) {
        users.delete(admin(ctx), ctx.pathParam("id"), ClientOrigin.addressOf(ctx));
        ctx.status(204);
    }

    private void listSessions(Context ctx) {
        admin(ctx);
        var page = sessions.live(Fields.query(ctx, "user_id"), cursor(ctx),
                Fields.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT));
        Responses.json(ctx, 200, AdminViews.page("sessions", page, AdminViews::session));
    }

    private void endSession(Context ctx) {
        String admin = admin(ctx);
        String id = ctx.pathParam("id");
        String user = sessions.end(id).orElseThrow(() -> new ServerException(ServerError.SESSION_NOT_FOUND,
                "there is no live session with that id"));
        audit.record(AuditEvent.SESSION_REVOKED, user, admin, ClientOrigin.addressOf(ctx), id);
        ctx.status(204);
    }

    private void searchAudit(Context ctx) {
        admin(ctx);
        var filter = new AuditRepository.Filter(Fields.query(ctx, "user_id"), Fields.query(ctx, "type"),
                instant(ctx, "since"), instant(ctx, "until"));
        Optional<Long> before = cursor(ctx).map(c -> eventId(c.id()));
        int limit = Fields.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        List<AuditEvent> rows = audit.repository().search(filter, before, limit + 1);
        Optional<String> next = rows.size() <= limit ? Optional.empty()
                : Optional.of(new Cursor(rows.get(limit - 1).at(), Long.toString(rows.get(limit - 1).id())).encode());
        Responses.json(ctx, 200, AdminViews.page("events",
                rows.stream().limit(limit).map(AdminViews::event).toList(), next));
    }

    private void rotateKeys(Context ctx) {
        String admin = admin(ctx);
        Fields.none(ctx);
        Responses.json(ctx, 200, AdminViews.rotation(keys.rotateNow(admin)));
    }

    /** The acting admin's id; 401/403 problem documents for anyone else. */
    private String admin(Context ctx) {
        return auth.require(ctx, UserAdministration.ADMIN).jwt().claims().subject().orElseThrow();
    }

    private static Optional<Cursor> cursor(Context ctx) {
        return Fields.query(ctx, "cursor").map(Cursor::decode);
    }

    private static Optional<Instant> instant(Context ctx, String name) {
        try {
            return Fields.query(ctx, name).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ServerException.badRequest("'" + name
                    + "' must be an RFC 3339 time in UTC, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static long eventId(String cursorId) {
        try {
            return Long.parseLong(cursorId);
        } catch (NumberFormatException e) {
            throw ServerException.badRequest("'cursor' is not a cursor this server gave out");
        }
    }
}
