package dev.jot.server.http;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth 2.0 surface: how the OAuth routes ({@code /oauth2/*}) answer a {@link ServerException}. RFC 6749 §5.2
 * gives token-endpoint errors the shape {@code {"error", "error_description"}}, status 400 (401 only for client
 * authentication), because that is what OAuth client libraries parse; RFC 7009 and RFC 7662 reuse it.
 */
public final class OAuthErrors {
    private OAuthErrors() {
    }

    /** An answer in the RFC 6749 §5.2 shape. */
    public record Answer(int status, Map<String, String> headers, Map<String, Object> body) {
    }

    /**
     * The RFC 6749 answer for {@code e}, or empty when the OAuth routes answer it as a problem document like every
     * other route. The switch has no default: a new error does not compile until it says which.
     */
    public static Optional<Answer> answer(ServerException e) {
        ServerError error = e.error();
        return switch (error) {
            // §5.2: a bad grant (credentials, refresh token), an unsupported grant type or scope: 400.
            case INVALID_CREDENTIALS, INVALID_BASIC_CREDENTIALS, WRONG_CURRENT_PASSWORD, REFRESH_TOKEN_INVALID,
                 REFRESH_TOKEN_EXPIRED, UNSUPPORTED_GRANT_TYPE, INVALID_SCOPE, INVALID_CLIENT, UNSUPPORTED_MEDIA_TYPE,
                 INVALID_TARGET ->
                    Optional.of(answer(400, e, Map.of()));
            // §5.2: "the authorization server MAY return an HTTP 401 (Unauthorized) status code to indicate which
            // HTTP authentication schemes are supported. If the client attempted to authenticate via the
            // Authorization request header field, the authorization server MUST respond with an HTTP 401".
            case INVALID_CLIENT_BASIC -> Optional.of(answer(401, e, Problems.headers(e)));
            // Malformed requests keep their status (a 413 is still a 413) with error invalid_request.
            case INVALID_REQUEST, PAYLOAD_TOO_LARGE, NOT_FOUND, METHOD_NOT_ALLOWED, URI_TOO_LONG, HEADERS_TOO_LARGE,
                 INVALID_USERNAME, INVALID_PASSWORD, USER_EXISTS, USER_NOT_FOUND, INVALID_ROLE, NO_ROTATION,
                 ROTATION_CONFLICT, REGISTRATION_CLOSED, LAST_ADMIN, API_KEY_NOT_FOUND, TOO_MANY_API_KEYS,
                 CLIENT_NOT_FOUND, SECRET_NOT_FOUND, TOO_MANY_SECRETS, SESSION_NOT_FOUND, USAGE_BATCH_INVALID,
                 USAGE_QUERY_INVALID ->
                    Optional.of(answer(error.status(), e, Problems.headers(e)));
            // The server's own trouble: its status and Retry-After, in the shape the client parses.
            // RFC 6749 §5.2 has no code for "slow down": invalid_grant would tell the client the password is wrong
            // (it may be right) and RFC 8628's slow_down belongs to device-code polling. temporarily_unavailable
            // (§4.1.2.1) says "try later" without judging the grant; the status (429 or 503) and Retry-After carry
            // the rest, which generic HTTP retry logic understands. Same body for known and unknown accounts.
            case RATE_LIMITED, SERVER_BUSY, QUOTA_EXCEEDED -> Optional.of(answer(error.status(), e, Problems.headers(e)));
            case DATABASE_UNAVAILABLE, DATABASE_BUSY, DATABASE_IN_USE, INTERNAL_ERROR, STARTUP, NO_DATABASE,
                 DATA_DIRECTORY -> Optional.of(answer(error.status(), e, Problems.headers(e)));
            // The caller's own bearer token (introspection, RFC 7662 §2.1): a resource-server matter, answered
            // as every protected route answers it (RFC 6750 §3 challenge, problem document).
            case TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED, BEARER_INVALID_REQUEST, INSUFFICIENT_SCOPE -> Optional.empty();
        };
    }

    private static Answer answer(int status, ServerException e, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error().oauthError());
        body.put("error_description", e.detail());
        return new Answer(status, headers, body);
    }
}
