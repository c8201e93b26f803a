package dev.jot.server.throttle;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/throttles} (keys with recent failures and their current wait) and
 * {@code DELETE /admin/throttles/{key}} (forget a key's failures: an unlock), for the {@code admin} role.
 */
public final class ThrottleRoutes implements RouteTable {
    public static final String ROLE = "admin";
    private static final int LIMIT = 500;

    private final Throttle throttle;
    private final Authentication auth;

    public ThrottleRoutes(Throttle throttle, Authentication auth) {
        this.throttle = throttle;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/admin/throttles", this::list);
        routes.delete("/admin/throttles/{key}", this::clear);
    }

    private void list(Context ctx) {
        auth.require(ctx, ROLE);
        List<Map<String, Object>> keys = throttle.recent(LIMIT).stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", e.key());
            m.put("failures", e.failures());
            m.put("last_failure_at", e.lastFailureAt().toString());
            m.put("retry_after", e.retryAfter().toSeconds());
            return m;
        }).toList();
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, 200, Map.of("throttles", keys));
    }

    private void clear(Context ctx) {
        auth.require(ctx, ROLE);
        if (!throttle.clear(ctx.pathParam("key"))) {
            throw new ServerException(ServerError.NOT_FOUND, "that key has no failures to forget");
        }
        ctx.status(204);
    }
}
