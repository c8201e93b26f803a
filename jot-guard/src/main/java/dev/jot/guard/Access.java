package dev.jot.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a resource asks of a request: nothing, a valid token, a role, every one of some scopes, any one of them, or
 * any one of several such grants ({@link #anyOf}: "scope {@code secret:read} or role {@code admin}"). Roles are
 * the {@code roles} string-array claim; scopes are the space-separated values of the OAuth {@code scope} claim
 * (RFC 9068 §2.2.3). The two are never mixed: a scope does not grant a role of the same name.
 *
 * <p>Names are RFC 6749 §3.3 scope-tokens (printable ASCII without space, {@code "} or {@code \}), checked here,
 * so they can be named in an RFC 6750 §3 {@code scope} challenge attribute without quoting surprises.
 *
 * <pre>{@code
 * guard.authenticate(request).require(Access.scopes("orders:read"))   // Authenticated, or 401/403 Rejected
 * guard.authenticate(request).require(Access.anyOf(Access.scopes("secret:read"), Access.role("admin")))
 * }</pre>
 */
public sealed interface Access {

    /** No token needed: the guard is not consulted. */
    record Public() implements Access {
    }

    /** Any valid, unrevoked token. */
    record AnyToken() implements Access {
    }

    /** The token's {@code roles} claim lists {@code name}. */
    record Role(String name) implements Access {
        public Role {
            requireScopeToken(name, "role");
        }
    }

    /** The token's {@code scope} claim holds every one of {@code scopes}. */
    record AllScopes(List<String> scopes) implements Access {
        public AllScopes {
            scopes = scopeTokens(scopes);
        }
    }

    /** The token's {@code scope} claim holds at least one of {@code scopes}. */
    record AnyScope(List<String> scopes) implements Access {
        public AnyScope {
            scopes = scopeTokens(scopes);
        }
    }

    /**
     * At least one of {@code options} is met: {@code anyOf(scopes("secret:read"), role("admin"))}. The options
     * are roles and scopes (or further {@code AnyOf}s), so a token is always needed; a refusal names every role and
     * scope that would have let the request in.
     */
    record AnyOf(List<Access> options) implements Access {
        public AnyOf {
            options = List.copyOf(options);
            if (options.size() < 2) {
                throw new IllegalArgumentException("name at least two alternatives");
            }
            for (Access a : options) {
                if (a instanceof Public || a instanceof AnyToken) {
                    // Either would make the other options pointless: say publicAccess() or authenticated() instead.
                    throw new IllegalArgumentException("anyOf names roles and scopes, not public or any-token access");
                }
            }
        }

        /** The roles and scopes that would each let a request in, for the RFC 6750 §3 {@code scope} attribute. */
        public List<String> names() {
            List<String> out = new ArrayList<>();
            for (Access a : options) {
                switch (a) {
                    case Role r -> out.add(r.name());
                    case AllScopes s -> out.addAll(s.scopes());
                    case AnyScope s -> out.addAll(s.scopes());
                    case AnyOf o -> out.addAll(o.names());
                    case Public p -> throw new AssertionError("refused by the constructor");
                    case AnyToken t -> throw new AssertionError("refused by the constructor");
                }
            }
            return List.copyOf(new LinkedHashSet<>(out));
        }
    }

    static Access publicAccess() {
        return new Public();
    }

    static Access authenticated() {
        return new AnyToken();
    }

    static Access role(String name) {
        return new Role(name);
    }

    static Access scopes(String... scopes) {
        return new AllScopes(List.of(scopes));
    }

    static Access anyScope(String... scopes) {
        return new AnyScope(List.of(scopes));
    }

    /** At least one of {@code options}, e.g. {@code anyOf(scopes("secret:read"), role("admin"))}. */
    static Access anyOf(Access... options) {
        return new AnyOf(List.of(options));
    }

    private static List<String> scopeTokens(List<String> scopes) {
        List<String> copy = List.copyOf(scopes);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("name at least one scope");
        }
        copy.forEach(s -> requireScopeToken(s, "scope"));
        return copy;
    }

    /** RFC 6749 §3.3 {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    private static void requireScopeToken(String s, String what) {
        Objects.requireNonNull(s, what);
        if (!isScopeToken(s)) {
            throw new IllegalArgumentException("a " + what + " must be a non-empty scope-token (RFC 6749 §3.3)");
        }
    }

    private static boolean isScopeToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
