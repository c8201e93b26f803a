package dev.jot.server.http;

import dev.jot.guard.AuthResult;
import dev.jot.guard.Guard;
import dev.jot.guard.GuardRequest;
import io.javalin.http.Context;
import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's side of jot-guard: adapts a Javalin request and turns a refusal into an {@link ApiProblem}
 * carrying the guard's status, code and {@code WWW-Authenticate} challenge (RFC 6750 §3).
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

    /** The caller's verified token, or an {@link ApiProblem} (401/400) thrown for the error mapping to write. */
    public AuthResult.Authenticated require(Context ctx) {
        return switch (guards.get().authenticate(new JavalinRequest(ctx))) {
            case AuthResult.Authenticated a -> a;
            case AuthResult.Rejected r -> throw rejection(r);
        };
    }

    /** As {@link #require(Context)}, and the token must grant {@code role} (403 otherwise). */
    public AuthResult.Authenticated require(Context ctx, String role) {
        return switch (guards.get().require(require(ctx), role)) {
            case AuthResult.Authenticated a -> a;
            case AuthResult.Rejected r -> throw rejection(r);
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

    /** A 401 {@code token_invalid} problem, challenge included, for a token that passed the guard but not the app. */
    public ApiProblem invalidToken(String description) {
        return rejection(guards.get().invalidToken(description));
    }

    private static ApiProblem rejection(AuthResult.Rejected r) {
        return new ApiProblem(r.status(), r.code(), r.description(), Map.of("WWW-Authenticate", r.wwwAuthenticate()));
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
