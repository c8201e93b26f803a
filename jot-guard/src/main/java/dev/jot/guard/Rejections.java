package dev.jot.guard;

import dev.jot.guard.AuthResult.Reason;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtException;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the refusals: reason (status and Jot error code), a fixed description, and the {@code WWW-Authenticate}
 * challenge (RFC 6750 §3, RFC 7235 §4.1). This is the one place Bearer challenges are written: the guard uses it,
 * and so does any server that refuses a request for a reason of its own (an account that is gone, a refresh
 * token that is not valid). Descriptions are fixed texts chosen by the caller or here; nothing from the token or
 * the request is ever echoed, so a client cannot inject into the header or the problem body.
 */
public final class Rejections {

    static final String REVOKED = "The access token has been revoked";
    static final String LACKS_ROLE = "The access token lacks the required role";
    static final String LACKS_SCOPE = "The access token lacks a required scope";
    static final String LACKS_ANY_SCOPE = "The access token has none of the accepted scopes";
    static final String LACKS_ANY_GRANT = "The access token has none of the accepted roles and scopes";

    /** Refusals in the default realm, {@value Guard#DEFAULT_REALM}. */
    static final Rejections DEFAULT = new Rejections(Guard.DEFAULT_REALM);

    /** Claim names that come from Jot's own checks, never from a token: safe to name in a description. */
    private static final Set<String> NAMEABLE_CLAIMS = Set.of(Claims.ISSUER, Claims.SUBJECT, Claims.AUDIENCE,
            Claims.EXPIRATION, Claims.NOT_BEFORE, Claims.ISSUED_AT, Claims.JWT_ID, "typ");

    private final String challenge;
    private final Rejected missing;

    /** Refusals in {@code realm} (RFC 7235 §2.2); a realm with a control character is refused here. */
    public Rejections(String realm) {
        this.challenge = "Bearer realm=" + quoted(Objects.requireNonNull(realm));
        // RFC 6750 §3.1: a request without credentials gets a challenge without an error attribute.
        this.missing = new Rejected(Reason.TOKEN_MISSING, "No access token was sent", challenge);
    }

    /**
     * A refusal for {@code reason} with its challenge. {@code description} must be fixed text (it is sent in the
     * challenge and the problem body); {@code scope} names what {@link Reason#INSUFFICIENT_SCOPE} lacks and is
     * ignored otherwise. The switch has no default: a new reason fails compilation here until it has a challenge.
     */
    public Rejected refuse(Reason reason, String description, String scope) {
        return switch (reason) {
            case TOKEN_MISSING -> missing;
            case TOKEN_INVALID, TOKEN_EXPIRED -> new Rejected(reason, description, withError("invalid_token", description));
            case INVALID_REQUEST -> new Rejected(reason, description, withError("invalid_request", description));
            // RFC 6750 §3: the scope attribute names what the resource needs.
            case INSUFFICIENT_SCOPE -> new Rejected(reason, description, challenge + ", error=\"insufficient_scope\""
                    + (scope == null ? "" : ", scope=" + quoted(scope)));
            // Not about the credentials: no challenge. quotaExceeded(status) adds the policy and Retry-After.
            case QUOTA_EXCEEDED -> new Rejected(reason, description, "");
        };
    }

    /**
     * 429 {@code quota_exceeded} for the policy {@code status} reports (its {@code r=0}): no challenge, since the
     * credentials are fine; {@code Retry-After} and the RateLimit fields come from {@code status}.
     */
    public Rejected quotaExceeded(RateLimitStatus status) {
        String policy = Objects.requireNonNull(status.reported(), "the policy used up").name();
        String description = policy.equals(RateLimitStatus.MINUTE) ? "The rate limit of requests per minute is used up"
                : "The " + policy + " quota of requests is used up";
        return new Rejected(Reason.QUOTA_EXCEEDED, description, "", status);
    }

    /** The challenge these refusals start with, e.g. {@code Bearer realm="jot"}: what logs and debuggers show. */
    @Override
    public String toString() {
        return "Rejections[" + challenge + "]";
    }

    Rejected missing() {
        return missing;
    }

    /** RFC 6750 §3.1 {@code invalid_request}: malformed, or more than one method used. */
    Rejected invalidRequest(String description) {
        return refuse(Reason.INVALID_REQUEST, description, null);
    }

    Rejected invalidToken(JwtException e) {
        return refuse(e.code() == JwtException.Code.EXPIRED ? Reason.TOKEN_EXPIRED : Reason.TOKEN_INVALID,
                describe(e), null);
    }

    Rejected revoked() {
        return invalidToken(REVOKED);
    }

    /** 401 {@code invalid_token} with a fixed, caller-chosen description (never request content). */
    Rejected invalidToken(String description) {
        return refuse(Reason.TOKEN_INVALID, description, null);
    }

    /** RFC 6750 §3.1 {@code insufficient_scope}, naming the role needed (§3: the {@code scope} attribute). */
    Rejected insufficientScope(String role) {
        return refuse(Reason.INSUFFICIENT_SCOPE, LACKS_ROLE, role);
    }

    private String withError(String error, String description) {
        return challenge + ", error=\"" + error + "\", error_description=" + quoted(description);
    }

    /** A fixed text per code. The switch has no default, so a new code fails compilation here until described. */
    static String describe(JwtException e) {
        String claim = e.claim().filter(NAMEABLE_CLAIMS::contains).orElse(null);
        return switch (e.code()) {
            case MALFORMED -> "The access token is malformed";
            case UNSUPPORTED_ALGORITHM -> "The access token is signed with an algorithm that is not accepted";
            case UNSUPPORTED_CRITICAL -> "The access token has a critical header parameter that is not understood";
            case KEY_NOT_FOUND -> "The access token is signed with an unknown key";
            case BAD_SIGNATURE -> "The access token signature is invalid";
            case EXPIRED -> "The access token expired";
            case NOT_YET_VALID -> "The access token is not valid yet";
            case CLAIM_INVALID -> claim == null ? "The access token has an invalid claim"
                    : "The access token has an invalid " + claim + " claim";
            case CLAIM_MISSING -> claim == null ? "The access token lacks a required claim"
                    : "The access token lacks the required " + claim + " claim";
            case INVALID_KEY -> "The access token cannot be verified";
        };
    }

    /**
     * RFC 7230 §3.2.6 / RFC 9110 §5.6.4 {@code quoted-string}: backslash-escape {@code "} and {@code \}. Control
     * characters cannot be quoted at all, so callers never pass them (realms and roles are checked at build time).
     */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in a challenge parameter");
            }
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
