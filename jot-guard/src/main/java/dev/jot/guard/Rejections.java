package dev.jot.guard;

import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtException;
import java.util.Set;

/**
 * Builds the refusals: status, Jot error code, a fixed description, and the {@code WWW-Authenticate} challenge
 * (RFC 6750 §3, RFC 7235 §4.1). Descriptions are chosen here from fixed texts; nothing from the token or the
 * request is ever echoed, so a client cannot inject into the header or the problem body.
 */
final class Rejections {

    static final String TOKEN_MISSING = "token_missing";
    static final String TOKEN_INVALID = "token_invalid";
    static final String TOKEN_EXPIRED = "token_expired";
    static final String INVALID_REQUEST = "invalid_request";
    static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    static final String REVOKED = "The access token has been revoked";

    /** Claim names that come from Jot's own checks, never from a token: safe to name in a description. */
    private static final Set<String> NAMEABLE_CLAIMS = Set.of(Claims.ISSUER, Claims.SUBJECT, Claims.AUDIENCE,
            Claims.EXPIRATION, Claims.NOT_BEFORE, Claims.ISSUED_AT, Claims.JWT_ID, "typ");

    private final String challenge;
    private final Rejected missing;

    Rejections(String realm) {
        this.challenge = "Bearer realm=" + quoted(realm);
        // RFC 6750 §3.1: a request without credentials gets a challenge without an error attribute.
        this.missing = new Rejected(401, TOKEN_MISSING, "No access token was sent", challenge);
    }

    Rejected missing() {
        return missing;
    }

    /** RFC 6750 §3.1 {@code invalid_request}: malformed, or more than one method used. */
    Rejected invalidRequest(String description) {
        return new Rejected(400, INVALID_REQUEST, description, withError("invalid_request", description));
    }

    Rejected invalidToken(JwtException e) {
        String description = describe(e);
        String code = e.code() == JwtException.Code.EXPIRED ? TOKEN_EXPIRED : TOKEN_INVALID;
        return new Rejected(401, code, description, withError("invalid_token", description));
    }

    Rejected revoked() {
        return invalidToken(REVOKED);
    }

    /** 401 {@code invalid_token} with a fixed, caller-chosen description (never request content). */
    Rejected invalidToken(String description) {
        return new Rejected(401, TOKEN_INVALID, description, withError("invalid_token", description));
    }

    /** RFC 6750 §3.1 {@code insufficient_scope}, naming the scope needed (§3: the {@code scope} attribute). */
    Rejected insufficientScope(String role) {
        String description = "The access token lacks the required role";
        return new Rejected(403, INSUFFICIENT_SCOPE, description,
                challenge + ", error=\"insufficient_scope\", scope=" + quoted(role));
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
