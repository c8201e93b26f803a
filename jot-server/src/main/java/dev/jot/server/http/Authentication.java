package dev.jot.server.http;

import dev.jot.guard.AuthResult;
import dev.jot.guard.Guard;
import dev.jot.guard.GuardRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server's side of jot-guard: adapts a Javalin request and turns the guard's refusal into a
 * {@link ServerException} (the problem mapping then writes the RFC 6750 §3 challenge with the guard's own
 * {@code Rejections}).
 */
public final class Authentication {
    private final Supplier<Guard> guards;

    public Authentication(Guard guard) {
        this(() -> guard);
    }

    /** A guard per request from {@code guards}: the server's is remade when its signing keys change. */
    public Authentication(Supplier<Guard> guards) {
        this.guards = guards;
    }

    /** The server's current guard, for jot-guard's Javalin plugin (which protects {@code GET /me}). */
    public Supplier<Guard> guards() {
        return guards;
    }

    /** The caller's verified token, or a {@link ServerException} (401/400) thrown for the error mapping to write. */
    public AuthResult.Authenticated require(Context ctx) {
        Guard guard = guards.get();
        return switch (guard.authenticate(new JavalinRequest(ctx))) {
            case AuthResult.Authenticated a -> {
                if (guard.metering()) {
                    ctx.attribute(METERED, new Metered(guard, a));
                }
                yield a;
            }
            case AuthResult.Rejected r -> {
                guard.record(r, routeOf(ctx), r.status());
                throw refusal(r, null);
            }
        };
    }

    private static final String METERED = Authentication.class.getName() + ".metered";

    /** A request let in by {@link #require}, to be counted once its status is known. */
    private record Metered(Guard guard, AuthResult.Authenticated auth) {
    }

    /**
     * Counts the requests {@link #require} let in, after their handlers (or the error mapping) set the status, as
     * jot-guard's Javalin plugin does for the routes it protects: usage per route template and status class.
     */
    public static void installMetering(RoutesConfig routes) {
        routes.afterMatched(ctx -> {
            if (ctx.attribute(METERED) instanceof Metered m) {
                ctx.attribute(METERED, null);
                m.guard().record(m.auth(), routeOf(ctx), ctx.statusCode());
            }
        });
    }

    /** The route as declared ({@code /admin/users/{id}}), never the raw path. */
    private static String routeOf(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null ? "?" : matched.path;
    }

    /** As {@link #require(Context)}, and the token must grant {@code role} (403 otherwise). */
    public AuthResult.Authenticated require(Context ctx, String role) {
        return switch (guards.get().require(require(ctx), role)) {
            case AuthResult.Authenticated a -> a;
            case AuthResult.Rejected r -> throw refusal(r, role);
        };
    }

    /**
     * What the guard thinks of {@code token} presented as a bearer token (for RFC 7009 revocation and RFC 7662
     * introspection, which receive tokens in their bodies rather than in headers).
     */
    public AuthResult check(String token) {
        return guards.get().authenticate(new BearerOnly(token));
    }

    /** A request that carries nothing but one bearer token. */
    private record BearerOnly(String token) implements GuardRequest {
        @Override
        public List<String> headers(String name) {
            return name.equalsIgnoreCase("Authorization") ? List.of("Bearer " + token) : List.of();
        }

        @Override
        public List<String> queryParameters(String name) {
            return List.of();
        }

        @Override
        public List<String> cookies(String name) {
            return List.of();
        }

        @Override
        public byte[] body() {
            return new byte[0];
        }
    }

    /**
     * The guard's refusal as a server error; {@code needed} is the role a 403 lacks. The switch has no default: a
     * new reason in jot-guard does not compile here until the server says what it is.
     */
    static ServerException refusal(AuthResult.Rejected r, String needed) {
        ServerError error = switch (r.reason()) {
            case TOKEN_MISSING -> ServerError.TOKEN_MISSING;
            case TOKEN_INVALID -> ServerError.TOKEN_INVALID;
            case TOKEN_EXPIRED -> ServerError.TOKEN_EXPIRED;
            case INVALID_REQUEST -> ServerError.BEARER_INVALID_REQUEST;
            case INSUFFICIENT_SCOPE -> ServerError.INSUFFICIENT_SCOPE;
            case QUOTA_EXCEEDED -> ServerError.QUOTA_EXCEEDED;
        };
        ServerException e = new ServerException(error, r.description());
        if (r.rateLimit() != null && error == ServerError.QUOTA_EXCEEDED) {
            e = e.withRetryAfter(java.time.Duration.ofSeconds(Math.max(1, r.rateLimit().resetSeconds())));
            return e.withArgument(r.rateLimit().reported().name());
        }
        return needed == null ? e : e.withArgument(needed);
    }

    /** A Javalin request seen through the guard's framework-free interface. */
    private record JavalinRequest(Context ctx) implements GuardRequest {
        @Override
        public List<String> headers(String name) {
            return Collections.list(ctx.req().getHeaders(name));
        }

        @Override
        public List<String> queryParameters(String name) {
            return ctx.queryParams(name);
        }

        @Override
        public List<String> cookies(String name) {
            Cookie[] cookies = ctx.req().getCookies();
            List<String> values = new ArrayList<>();
            if (cookies != null) {
                for (Cookie c : cookies) {
                    if (c.getName().equals(name)) {
                        values.add(c.getValue());
                    }
                }
            }
            return values;
        }

        @Override
        public byte[] body() {
            return Requests.body(ctx);
        }
    }
}
