package dev.jot.guard;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of an adapter's access table: requests whose path matches {@code pattern} (and whose method is
 * {@code method}, when given) need {@code access}. The first matching rule wins; a request no rule matches needs
 * a valid token ({@link Access#authenticated()}), so forgetting a rule never opens a path.
 *
 * <p>Patterns: {@code /health} matches that path (and {@code /health/}); {@code /api/*} matches {@code /api} and
 * everything under it; {@code /*} matches every path. Prefix patterns are the robust choice: a container that
 * routes {@code /admin/} or {@code /Admin} to the same handler as {@code /admin} cannot route around them.
 *
 * <pre>{@code
 * List<AccessRule> rules = List.of(
 *         AccessRule.path("/health", Access.publicAccess()),
 *         AccessRule.path("OPTIONS", "/*", Access.publicAccess()),          // CORS preflights carry no token
 *         AccessRule.path("GET", "/orders/*", Access.scopes("orders:read")),
 *         AccessRule.path("/orders/*", Access.scopes("orders:write")),
 *         AccessRule.path("/admin/*", Access.role("admin")));
 * }</pre>
 *
 * @param method an HTTP method (case-sensitive, RFC 9110 §9.1), or null for any
 */
public record AccessRule(String method, String pattern, Access access) {

    public AccessRule {
        if (method != null && (method.isEmpty() || !method.equals(method.toUpperCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("a method is written in upper case, such as GET");
        }
        Objects.requireNonNull(pattern);
        Objects.requireNonNull(access);
        if (!pattern.startsWith("/") || pattern.indexOf('*') >= 0 && !pattern.endsWith("/*")
                || pattern.indexOf('*') != pattern.lastIndexOf('*')) {
            throw new IllegalArgumentException("a pattern is a path (/health) or a prefix ending in /* (/api/*)");
        }
    }

    /** {@code pattern}, whatever the method. */
    public static AccessRule path(String pattern, Access access) {
        return new AccessRule(null, pattern, access);
    }

    /** {@code pattern}, for {@code method} only. */
    public static AccessRule path(String method, String pattern, Access access) {
        return new AccessRule(Objects.requireNonNull(method), pattern, access);
    }

    public boolean matches(String requestMethod, String path) {
        if (method != null && !method.equals(requestMethod)) {
            return false;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
        return path.equals(pattern) || path.length() == pattern.length() + 1 && path.endsWith("/") && path.startsWith(pattern);
    }

    /** The access the first matching rule names; {@link Access#authenticated()} when none matches. */
    public static Access decide(List<AccessRule> rules, String method, String path) {
        for (AccessRule r : rules) {
            if (r.matches(method, path)) {
                return r.access();
            }
        }
        return DEFAULT;
    }

    private static final Access DEFAULT = Access.authenticated();
}
