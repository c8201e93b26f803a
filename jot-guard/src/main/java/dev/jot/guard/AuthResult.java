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
     * Why a request is refused: the HTTP status and Jot's stable error {@code code} for the problem body. A closed
     * list: adapters and the server map each reason in an exhaustive {@code switch}, so a new one fails compilation
     * wherever it is not handled yet.
     */
    enum Reason {
        /** No token was sent (RFC 6750 §3.1: the challenge carries no error attribute). */
        TOKEN_MISSING(401, "token_missing"),
        /** The token is malformed, forged, from another issuer, not valid yet, or revoked. */
        TOKEN_INVALID(401, "token_invalid"),
        /** The token was valid once and has expired. */
        TOKEN_EXPIRED(401, "token_expired"),
        /** The request carries its token wrongly: a malformed {@code Authorization} header, or two methods at once. */
        INVALID_REQUEST(400, "invalid_request"),
        /** The token is valid but lacks the role or scope the resource needs (RFC 6750 §3.1). */
        INSUFFICIENT_SCOPE(403, "insufficient_scope");

        private final int status;
        private final String code;

        Reason(int status, String code) {
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    /**
     * The request is refused for {@code reason} (which gives the HTTP status and Jot's stable error code),
     * {@code description} a fixed text safe to show, and {@code wwwAuthenticate} the value of the
     * {@code WWW-Authenticate} header to send (RFC 6750 §3, RFC 7235 §4.1).
     */
    record Rejected(Reason reason, String description, String wwwAuthenticate) implements AuthResult {

        public Rejected {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(description);
            Objects.requireNonNull(wwwAuthenticate);
        }

        /** The HTTP status: 400, 401 or 403. */
        public int status() {
            return reason.status();
        }

        /** Jot's error code: {@code token_missing}, {@code token_invalid}, {@code token_expired}, ... */
        public String code() {
            return reason.code();
        }
    }
}
