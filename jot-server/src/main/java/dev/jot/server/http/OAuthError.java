package dev.jot.server.http;

/**
 * An error answer of the OAuth 2.0 routes, in the RFC 6749 §5.2 shape {@code {"error", "error_description"}}
 * rather than a problem document: OAuth client libraries parse exactly that.
 */
public final class OAuthError extends RuntimeException {
    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description, null, false, false); // an answer, not a bug: no stack trace
        this.status = status;
        this.error = error;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
