package dev.jot.guard;

import java.util.List;
import java.util.Objects;

/**
 * Where a bearer token is read from. {@link #bearer()} ({@code Authorization: Bearer}, RFC 6750 §2.1) is the
 * default and the only method RFC 6750 says resource servers MUST support; the others are opt-in, for migrating
 * older clients. A guard checks every configured source on every request, in order, and refuses a request that
 * presents a token through more than one of them (RFC 6750 §2: "Clients MUST NOT use more than one method").
 *
 * <p>Everywhere, the token must be a {@code b64token} (RFC 6750 §2.1: letters, digits, {@code -._~+/}, then
 * optional {@code =}); anything else is {@code invalid_request}, never passed to the verifier.
 */
public sealed interface TokenSource {

    /** The default: {@code Authorization: Bearer <token>} only. */
    List<TokenSource> DEFAULT = List.of(bearer());

    /** Default cap on a request body searched for a token (the server's own body cap is 64 KiB). */
    int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    /**
     * {@code Authorization: Bearer <token>}: scheme case-insensitive (RFC 7235 §2.1), exactly one space, then one
     * {@code b64token}. Another scheme ({@code Basic}, ...) is not a bearer token and counts as absent.
     */
    record AuthorizationBearer() implements TokenSource {
    }

    /** A custom header holding only the token, e.g. {@code TOKEN: <token>}. */
    record Header(String name) implements TokenSource {
        public Header {
            requireToken(name, "header name");
            if (name.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException("use TokenSource.bearer() or bareAuthorization() for Authorization");
            }
        }
    }

    /**
     * A query parameter, e.g. {@code ?access_token=<token>} (RFC 6750 §2.3). Tokens in URLs end up in logs and
     * browser history: offer this only to clients that cannot send a header.
     */
    record QueryParameter(String name) implements TokenSource {
        public QueryParameter {
            if (Objects.requireNonNull(name).isEmpty()) {
                throw new IllegalArgumentException("query parameter name must not be empty");
            }
        }
    }

    /** A cookie, e.g. {@code Cookie: token=<token>}. An empty value (a cleared cookie) counts as absent. */
    record Cookie(String name) implements TokenSource {
        public Cookie {
            requireToken(name, "cookie name");
        }
    }

    /**
     * A top-level string member of a JSON object body, e.g. {@code {"access_token": "<token>"}} (the JSON analogue
     * of RFC 6750 §2.2). Read only when {@code Content-Type} is {@code application/json} or {@code application/*+json};
     * a body that does not parse as a JSON object holds no token. A body larger than {@code maxBodyBytes} is
     * {@code invalid_request}: the guard does not parse unbounded input.
     */
    record JsonBodyField(String name, int maxBodyBytes) implements TokenSource {
        public JsonBodyField {
            if (Objects.requireNonNull(name).isEmpty()) {
                throw new IllegalArgumentException("body field name must not be empty");
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive");
            }
        }
    }

    /**
     * The whole {@code Authorization} value is the token, without a scheme (some older clients send that). Only a
     * value that looks like a compact JWS (a {@code b64token} containing a dot) is taken, so that a scheme name such
     * as {@code Bearer} or {@code Negotiate} sent alone is never mistaken for a token.
     */
    record BareAuthorization() implements TokenSource {
    }

    static TokenSource bearer() {
        return new AuthorizationBearer();
    }

    static TokenSource header(String name) {
        return new Header(name);
    }

    static TokenSource queryParameter(String name) {
        return new QueryParameter(name);
    }

    static TokenSource cookie(String name) {
        return new Cookie(name);
    }

    static TokenSource jsonBodyField(String name) {
        return new JsonBodyField(name, DEFAULT_MAX_BODY_BYTES);
    }

    static TokenSource jsonBodyField(String name, int maxBodyBytes) {
        return new JsonBodyField(name, maxBodyBytes);
    }

    static TokenSource bareAuthorization() {
        return new BareAuthorization();
    }

    /** RFC 9110 §5.6.2 {@code token}: the characters allowed in header and cookie names. */
    private static void requireToken(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || !name.chars().allMatch(c -> c < 128 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0
                || Character.isLetterOrDigit(c) && c < 128)) {
            throw new IllegalArgumentException("invalid " + what + ": " + name);
        }
    }
}
