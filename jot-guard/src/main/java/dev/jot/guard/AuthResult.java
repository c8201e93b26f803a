package dev.jot.guard;

import dev.jot.jwt.VerifiedJwt;
import java.util.List;
import java.util.Objects;

/** What {@link Guard} decided about a request: let it in with its verified token, or refuse it. */
public sealed interface AuthResult permits AuthResult.Authenticated, AuthResult.Rejected {

    /** The request carried a valid, unrevoked token. */
    record Authenticated(VerifiedJwt jwt) implements AuthResult {

        public static final String ROLES_CLAIM = "roles";
        public static final String SCOPE_CLAIM = "scope";

        public Authenticated {
            Objects.requireNonNull(jwt);
        }

        /**
         * Whether the token grants {@code role}: listed in the {@code roles} string-array claim, or one of the
         * space-separated values of the OAuth {@code scope} claim (RFC 9068 §2.2.3, RFC 8693 §4.2). A claim of
         * the wrong type grants nothing: failing closed is the only safe reading of a token we did not expect.
         */
        public boolean hasRole(String role) {
            Object roles = jwt.claims().get(ROLES_CLAIM);
            if (roles instanceof List<?> list && list.contains(role)) {
                return true;
            }
            if (jwt.claims().get(SCOPE_CLAIM) instanceof String scope) {
                for (String s : scope.split(" ")) {
                    if (s.equals(role)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * The request is refused. {@code status} is the HTTP status (400, 401 or 403), {@code code} Jot's stable error
     * code for the problem body ({@code token_missing}, {@code token_invalid}, {@code token_expired},
     * {@code invalid_request}, {@code insufficient_scope}), {@code description} a fixed text safe to show, and
     * {@code wwwAuthenticate} the value of the {@code WWW-Authenticate} header to send (RFC 6750 §3, RFC 7235 §4.1).
     */
    record Rejected(int status, String code, String description, String wwwAuthenticate) implements AuthResult {

        public Rejected {
            Objects.requireNonNull(code);
            Objects.requireNonNull(description);
            Objects.requireNonNull(wwwAuthenticate);
        }
    }
}
