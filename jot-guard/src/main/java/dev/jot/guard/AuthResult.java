package dev.jot.guard;

import dev.jot.jwt.VerifiedJwt;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What {@link Guard} decided about a request: let it in with its verified token, or refuse it. */
public sealed interface AuthResult permits AuthResult.Authenticated, AuthResult.Rejected {

    /**
     * This result if it already is a refusal; otherwise the same {@link Authenticated} when its token satisfies
     * {@code access}, or 403 {@code insufficient_scope} naming what is missing (RFC 6750 §3.1). A request that is
     * already refused stays refused with its first reason, so checks chain:
     * {@code guard.authenticate(request).requireRole("admin")}.
     */
    AuthResult require(Access access);

    /** {@link #require(Access)} with {@link Access#role}: the {@code roles} claim must list {@code role}. */
    default AuthResult requireRole(String role) {
        return require(Access.role(role));
    }

    /** {@link #require(Access)} with {@link Access#scopes}: the {@code scope} claim must hold every one. */
    default AuthResult requireScope(String... scopes) {
        return require(Access.scopes(scopes));
    }

    /** {@link #require(Access)} with {@link Access#anyScope}: the {@code scope} claim must hold at least one. */
    default AuthResult requireAnyScope(String... scopes) {
        return require(Access.anyScope(scopes));
    }

    /**
     * The request carried a valid, unrevoked token. {@code rejections} are the refusals of the guard that let it
     * in (its realm), used when a later check refuses the request. {@code rateLimit} is what a guard with
     * {@link Guard.Builder#rateLimits rate limits} says of the token's limits (the {@code RateLimit-Policy} and
     * {@code RateLimit} fields to send, see {@link RateLimitStatus#headers()}); null without rate limits or when the
     * token has none.
     */
    record Authenticated(VerifiedJwt jwt, Rejections rejections, RateLimitStatus rateLimit) implements AuthResult {

        public static final String ROLES_CLAIM = "roles";
        public static final String SCOPE_CLAIM = "scope";

        public Authenticated {
            Objects.requireNonNull(jwt);
            Objects.requireNonNull(rejections);
        }

        /** A token let in by a guard in {@code rejections}' realm, without rate limits. */
        public Authenticated(VerifiedJwt jwt, Rejections rejections) {
            this(jwt, rejections, null);
        }

        /** A token let in by a guard with the default realm. */
        public Authenticated(VerifiedJwt jwt) {
            this(jwt, Rejections.DEFAULT);
        }

        /**
         * The {@code roles} claim. A claim of the wrong type (not an array of strings) grants nothing: failing
         * closed is the only safe reading of a token we did not expect.
         */
        public List<String> roles() {
            if (jwt.claims().get(ROLES_CLAIM) instanceof List<?> list) {
                for (Object o : list) {
                    if (!(o instanceof String)) {
                        return List.of();
                    }
                }
                @SuppressWarnings("unchecked")
                List<String> roles = (List<String>) list;
                return roles;
            }
            return List.of();
        }

        /** The space-separated values of the {@code scope} claim (RFC 9068 §2.2.3); empty when absent or not a string. */
        public List<String> scopes() {
            if (jwt.claims().get(SCOPE_CLAIM) instanceof String scope) {
                List<String> out = new ArrayList<>();
                for (String s : scope.split(" ")) {
                    if (!s.isEmpty()) {
                        out.add(s);
                    }
                }
                return List.copyOf(out);
            }
            return List.of();
        }

        /**
         * Whether the token grants {@code role}: listed in the {@code roles} string-array claim, or one of the
         * space-separated values of the OAuth {@code scope} claim (RFC 9068 §2.2.3, RFC 8693 §4.2). This is the
         * reading {@link Guard#require(Authenticated, String)} has always had; {@link #requireRole} reads
         * {@code roles} alone and {@link #requireScope} {@code scope} alone.
         */
        public boolean hasRole(String role) {
            return roles().contains(role) || scopes().contains(role);
        }

        @Override
        public AuthResult require(Access access) {
            return switch (access) {
                case Access.Public p -> this;
                case Access.AnyToken t -> this;
                case Access.Role r -> roles().contains(r.name()) ? this
                        : rejections.refuse(Reason.INSUFFICIENT_SCOPE, Rejections.LACKS_ROLE, r.name());
                case Access.AllScopes s -> scopes().containsAll(s.scopes()) ? this
                        : rejections.refuse(Reason.INSUFFICIENT_SCOPE, Rejections.LACKS_SCOPE, String.join(" ", s.scopes()));
                case Access.AnyScope s -> s.scopes().stream().anyMatch(scopes()::contains) ? this
                        : rejections.refuse(Reason.INSUFFICIENT_SCOPE, Rejections.LACKS_ANY_SCOPE,
                                String.join(" ", s.scopes()));
                case Access.AnyOf any -> any.options().stream().anyMatch(o -> require(o) == this) ? this
                        : rejections.refuse(Reason.INSUFFICIENT_SCOPE, Rejections.LACKS_ANY_GRANT,
                                String.join(" ", any.names()));
            };
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
        INSUFFICIENT_SCOPE(403, "insufficient_scope"),
        /**
         * The token is valid but its subject or client has used up a rate limit or quota (RFC 6585 §4): the
         * refusal's {@link Rejected#rateLimit()} names the policy and when to retry.
         */
        QUOTA_EXCEEDED(429, "quota_exceeded");

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
     * {@code WWW-Authenticate} header to send (RFC 6750 §3, RFC 7235 §4.1), empty for a refusal that is not about
     * the credentials ({@link Reason#QUOTA_EXCEEDED}). {@code rateLimit}, for {@link Reason#QUOTA_EXCEEDED} only,
     * names the policy used up and when to retry (a guard's own quota refusals always have it); null otherwise.
     */
    record Rejected(Reason reason, String description, String wwwAuthenticate, RateLimitStatus rateLimit)
            implements AuthResult {

        public Rejected {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(description);
            Objects.requireNonNull(wwwAuthenticate);
            if (rateLimit != null && reason != Reason.QUOTA_EXCEEDED) {
                throw new IllegalArgumentException("only a quota refusal names a rate limit");
            }
        }

        public Rejected(Reason reason, String description, String wwwAuthenticate) {
            this(reason, description, wwwAuthenticate, null);
        }

        /** The HTTP status: 400, 401, 403 or 429. */
        public int status() {
            return reason.status();
        }

        /** Jot's error code: {@code token_missing}, {@code token_invalid}, {@code token_expired}, ... */
        public String code() {
            return reason.code();
        }

        /** A refused request stays refused, with its first reason. */
        @Override
        public AuthResult require(Access access) {
            Objects.requireNonNull(access);
            return this;
        }
    }
}
