package dev.jot.guard.servlet;

import dev.jot.guard.Access;
import dev.jot.guard.AccessRule;
import dev.jot.guard.AuthResult;
import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.guard.Guard;
import dev.jot.guard.ProblemDocument;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A Jakarta Servlet 6 {@link Filter} that protects an application with a {@link Guard}: for Tomcat, Jetty, or
 * Spring MVC without Spring Security. Each request's path (within the application: servlet path plus path info,
 * as the container decoded and normalised it) is looked up in the {@link AccessRule}s; a request that passes
 * carries its {@link Authenticated} as the request attribute {@link #ATTRIBUTE} (read it with {@link #auth}); a
 * refused one gets the RFC 9457 problem document with its RFC 6750 challenge, and never reaches the application.
 *
 * <pre>{@code
 * Guard guard = Guard.forIssuer("https://auth.example.com").audience("orders-api").build();
 * servletContext.addFilter("jot", new JotGuardFilter(guard,
 *         AccessRule.path("/health", Access.publicAccess()),
 *         AccessRule.path("/admin/*", Access.role("admin")),
 *         AccessRule.path("/orders/*", Access.scopes("orders:read"))))
 *     .addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * A guard built with {@link Guard.Builder#metering metering} counts each request let in under its route (see
 * {@link #routeNamedBy}) and the status the application answered (when the chain returns: an asynchronous
 * request counts with the status set by then); one with {@link Guard.Builder#rateLimits rate limits} gets the
 * {@code RateLimit-Policy} and {@code RateLimit} fields on every answer it lets through, and 429 past a limit.
 * A JSON-body token source reads at most its cap (64 KiB by default) of the body, and the application then reads
 * the very same body from the request it is given. The filter does not close the guard.
 */
public final class JotGuardFilter implements Filter {

    /** The request attribute that holds the {@link Authenticated} of a request the filter let in. */
    public static final String ATTRIBUTE = Authenticated.class.getName();

    private final Guard guard;
    private final List<AccessRule> rules;
    private final Function<HttpServletRequest, String> routes;

    public JotGuardFilter(Guard guard, AccessRule... rules) {
        this(guard, List.of(rules));
    }

    /** {@code rules} in order, the first match winning; a path no rule matches needs a valid token. */
    public JotGuardFilter(Guard guard, List<AccessRule> rules) {
        this(guard, rules, JotGuardFilter::servletPattern);
    }

    private JotGuardFilter(Guard guard, List<AccessRule> rules, Function<HttpServletRequest, String> routes) {
        this.guard = Objects.requireNonNull(guard);
        this.rules = List.copyOf(rules);
        this.routes = Objects.requireNonNull(routes);
    }

    /**
     * This filter, counting requests (for a guard with {@link Guard.Builder#metering metering}) under the route
     * {@code routes} names, e.g. a framework's matched template ({@code /orders/{id}}); it must never return the
     * raw path, whose ids would make a key per request. By default the route is the pattern of the servlet mapping
     * that matched ({@code HttpServletRequest.getHttpServletMapping().getPattern()}, e.g. {@code /orders/*}).
     */
    public JotGuardFilter routeNamedBy(Function<HttpServletRequest, String> routes) {
        return new JotGuardFilter(guard, rules, routes);
    }

    /** The pattern of the servlet mapping that matched: {@code /orders/*}, {@code *.do}, {@code /}, or "" for the context root. */
    static String servletPattern(HttpServletRequest req) {
        try {
            var mapping = req.getHttpServletMapping();
            return mapping == null || mapping.getPattern() == null ? "?" : mapping.getPattern();
        } catch (RuntimeException | AbstractMethodError e) {
            return "?"; // a container older than Servlet 4
        }
    }

    /** What the filter let in for {@code request}; empty on a public path. */
    public static Optional<Authenticated> find(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Authenticated a ? Optional.of(a) : Optional.empty();
    }

    /** What the filter let in for {@code request}: for handlers behind a rule that needs a token. */
    public static Authenticated auth(ServletRequest request) {
        return find(request).orElseThrow(() -> new IllegalStateException(
                "no token was checked for this request: its rule is public, or the filter is not mapped to it"));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
            chain.doFilter(request, response);
            return;
        }
        Access access = AccessRule.decide(rules, req.getMethod(), pathOf(req));
        if (access instanceof Access.Public) {
            chain.doFilter(req, res);
            return;
        }
        ServletGuardRequest guarded = new ServletGuardRequest(req, ServletGuardRequest.bodyCap(guard.sources()));
        AuthResult who = guard.authenticate(guarded);
        switch (who.require(access)) {
            case Authenticated a -> {
                req.setAttribute(ATTRIBUTE, a);
                if (a.rateLimit() != null) {
                    a.rateLimit().headers().forEach(res::setHeader);
                }
                if (!guard.metering()) {
                    chain.doFilter(guarded.forApplication(), res);
                    return;
                }
                int status = 500; // what the container answers when the application throws
                try {
                    chain.doFilter(guarded.forApplication(), res);
                    status = res.getStatus();
                } finally {
                    guard.record(a, routeName(req), status);
                }
            }
            case Rejected r -> {
                guarded.discardUnreadBody();
                // Before answering: once the client has the answer, it is counted. A valid token that lacks the
                // scope or role (403) is its subject's request, answered 4xx; anything else a refusal by reason.
                if (who instanceof Authenticated caller) {
                    guard.record(caller, routeName(req), r.status());
                } else {
                    guard.record(r, "", r.status());
                }
                refuse(res, r);
            }
        }
    }

    private String routeName(HttpServletRequest req) {
        String route = routes.apply(req);
        return route == null ? "?" : route;
    }

    /** The path the container routes on: decoded, dot-segments and path parameters removed. */
    static String pathOf(HttpServletRequest req) {
        String servletPath = req.getServletPath();
        String pathInfo = req.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    static void refuse(HttpServletResponse res, AuthResult.Rejected r) throws IOException {
        byte[] body = ProblemDocument.json(r);
        res.setStatus(r.status());
        ProblemDocument.headers(r).forEach(res::setHeader);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
