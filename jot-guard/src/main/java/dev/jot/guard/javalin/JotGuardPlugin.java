package dev.jot.guard.javalin;

import dev.jot.guard.Access;
import dev.jot.guard.AccessRule;
import dev.jot.guard.AuthResult;
import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.guard.Guard;
import dev.jot.guard.GuardRequest;
import dev.jot.guard.ProblemDocument;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.javalin.router.Endpoint;
import io.javalin.security.RouteRole;
import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Protects a Javalin 7 application with a {@link Guard}. Before each matched route it decides what the route
 * needs: the {@link Access} given to the route itself ({@link #requires}), else the first matching
 * {@link AccessRule}, else a valid token. A request let in carries its {@link Authenticated} on the context
 * ({@link #auth}); a refused one gets the RFC 9457 problem document and the RFC 6750 challenge, and its handler
 * does not run.
 *
 * <pre>{@code
 * Guard guard = Guard.forIssuer("https://auth.example.com").audience("orders-api").build();
 * Javalin app = Javalin.create(config -> {
 *     config.registerPlugin(new JotGuardPlugin(guard,
 *             AccessRule.path("/health", Access.publicAccess()),
 *             AccessRule.path("/admin/*", Access.role("admin"))));
 *     config.routes.get("/health", ctx -> ctx.result("ok"));
 *     config.routes.get("/orders", ctx -> ctx.json(orders.of(JotGuardPlugin.auth(ctx).jwt().claims().subject())),
 *             JotGuardPlugin.requires(Access.scopes("orders:read")));
 * }).start(8080);
 * }</pre>
 *
 * Rules match the route's path as declared ({@code /orders/{id}}), not the raw request path, so trailing slashes
 * and case-insensitive routing cannot route around them. A guard built with
 * {@link Guard.Builder#metering metering} counts each request under that declared route and the status its handler
 * answered (in an after-matched hook); one with {@link Guard.Builder#rateLimits rate limits} gets the
 * {@code RateLimit-Policy} and {@code RateLimit} fields on every answer it lets through, and 429 for a request past
 * its limit. A JSON-body token source reads the body through Javalin,
 * which keeps it for the handler; a body that declares more than the source's cap is refused unread, and one that
 * declares nothing (chunked) is bounded by Javalin's {@code http.maxRequestSize}. The plugin does not close the
 * guard.
 */
public final class JotGuardPlugin extends Plugin<Void> {

    /** The context attribute that holds the {@link Authenticated} of a request the plugin let in. */
    public static final String ATTRIBUTE = Authenticated.class.getName();

    /** What a route needs, given as one of its roles: {@code get(path, handler, requires(Access.role("admin")))}. */
    public record Requires(Access access) implements RouteRole {
        public Requires {
            Objects.requireNonNull(access);
        }
    }

    private final Supplier<Guard> guards;
    private final List<AccessRule> rules;

    public JotGuardPlugin(Guard guard, AccessRule... rules) {
        this(guard, List.of(rules));
    }

    /** {@code rules} in order, the first match winning; a route no rule matches needs a valid token. */
    public JotGuardPlugin(Guard guard, List<AccessRule> rules) {
        this(constant(Objects.requireNonNull(guard)), rules);
    }

    /**
     * A guard per request from {@code guards}, for an application whose guard is remade now and then (the Jot
     * server remakes its own when its signing keys change).
     */
    public JotGuardPlugin(Supplier<Guard> guards, List<AccessRule> rules) {
        this.guards = Objects.requireNonNull(guards);
        this.rules = List.copyOf(rules);
    }

    private static Supplier<Guard> constant(Guard guard) {
        return () -> guard;
    }

    /** A route role saying what the route needs; it takes precedence over the path rules. */
    public static RouteRole requires(Access access) {
        return new Requires(access);
    }

    /** What the plugin let in for this request; empty on a public route. */
    public static Optional<Authenticated> find(Context ctx) {
        return ctx.attribute(ATTRIBUTE) instanceof Authenticated a ? Optional.of(a) : Optional.empty();
    }

    /** What the plugin let in for this request: for handlers of routes that need a token. */
    public static Authenticated auth(Context ctx) {
        return find(ctx).orElseThrow(() -> new IllegalStateException("no token was checked for this request: its route is public"));
    }

    @Override
    public String name() {
        return "jot-guard";
    }

    @Override
    public void onStart(JavalinState state) {
        state.jetty.modifyHttpConfiguration(JotGuardPlugin::noHeaderCache);
        state.routes.beforeMatched(this::check);
        state.routes.afterMatched(this::record);
    }

    /**
     * Turns off Jetty's per-connection cache of header fields. Jetty hands a request a header value seen earlier on
     * the same connection when the two match, ignoring case by default: a token that differs from the previous one
     * only in case would be read as that one (tokens are case-sensitive, so the cache is made case-sensitive too,
     * should an application turn it back on). And the cache costs more than it saves for credentials: each header
     * line is looked up by walking a trie byte by byte through the cached value, a whole token's length for an
     * {@code Authorization} header (up to the cache's 1024 characters). JFR put that walk at about half of the
     * tutorial API's CPU samples under load; without the cache it answered a third more requests (benchmarks.md).
     */
    public static void noHeaderCache(HttpConfiguration http) {
        http.setHeaderCacheCaseSensitive(true);
        http.setHeaderCacheSize(0);
    }

    /** The guard that let a request in, kept for the after-handler that meters it. */
    private static final String METERED = JotGuardPlugin.class.getName() + ".metered";

    private void check(Context ctx) {
        Access access = accessOf(ctx);
        if (access instanceof Access.Public) {
            return;
        }
        Guard guard = guards.get();
        AuthResult who = guard.authenticate(new JavalinRequest(ctx));
        switch (who.require(access)) {
            case Authenticated a -> {
                ctx.attribute(ATTRIBUTE, a);
                if (a.rateLimit() != null) {
                    a.rateLimit().headers().forEach(ctx::header);
                }
                if (guard.metering()) {
                    ctx.attribute(METERED, guard);
                }
            }
            case Rejected r -> {
                // A valid token that lacks the scope or role (403) is its subject's request, answered 4xx; anything
                // else is a refusal, counted by reason.
                if (who instanceof Authenticated caller) {
                    guard.record(caller, routeOf(ctx), r.status());
                } else {
                    guard.record(r, routeOf(ctx), r.status());
                }
                ctx.status(r.status());
                ProblemDocument.headers(r).forEach(ctx::header);
                ctx.result(ProblemDocument.json(r));
                ctx.skipRemainingHandlers();
            }
        }
    }

    /** Counts a request let in, now that its status is known (after its handler, or its exception mapper). */
    private void record(Context ctx) {
        if (ctx.attribute(METERED) instanceof Guard guard && find(ctx).orElse(null) instanceof Authenticated a) {
            ctx.attribute(METERED, null); // once, should Javalin run after-handlers twice
            guard.record(a, routeOf(ctx), ctx.statusCode());
        }
    }

    /** The route as declared ({@code /orders/{id}}), never the raw path. */
    private static String routeOf(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null ? "?" : matched.path;
    }

    private Access accessOf(Context ctx) {
        for (RouteRole role : ctx.routeRoles()) {
            if (role instanceof Requires r) {
                return r.access();
            }
        }
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        // beforeMatched runs only once a route matched; were it ever unknown, the safe answer is "a valid token".
        return matched == null ? Access.authenticated() : AccessRule.decide(rules, ctx.method().name(), matched.path);
    }

    /** A Javalin request as the guard reads it; the body through Javalin, which keeps it for the handler. */
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
            return ctx.bodyAsBytes();
        }
    }
}
