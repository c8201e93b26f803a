package dev.jot.server.error;

/**
 * Every way the server refuses or fails, as one closed list. Services throw {@link ServerException} with one of
 * these and a detail text; they never choose statuses or headers. Each constant carries what every surface needs:
 *
 * <ul>
 *   <li>{@link #status()}: the HTTP status of the problem document (RFC 9457);</li>
 *   <li>{@link #code()}: the problem document's stable {@code code} — the API clients switch on;</li>
 *   <li>{@link #oauthError()}: the RFC 6749 §5.2 {@code error} when an OAuth route answers in that shape;</li>
 *   <li>{@link #cliCode()} and {@link #exitStatus()}: the {@code jot} command's {@code error: CODE: message} line
 *       and exit status.</li>
 * </ul>
 *
 * Each surface renders them in one exhaustive {@code switch} without {@code default} ({@code http.Problems},
 * {@code http.OAuthErrors}, the CLI's {@code CliErrors}): a new constant does not compile until every surface says
 * what it does with it. Codes may repeat across constants when clients see one code for two situations (a wrong
 * password at login is 401, the wrong current password at a password change is 403: both {@code invalid_credentials}).
 */
public enum ServerError {
    // ---- the request itself ----
    /** The body or a parameter is malformed, missing or of the wrong type. */
    INVALID_REQUEST(400, "invalid_request", "invalid_request", Exit.USAGE),
    /** The body has a media type the route does not read ({@link ServerException#argument()}: what it reads). */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "invalid_request", Exit.USAGE),
    /** The body is over the size cap. */
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "invalid_request", Exit.USAGE),
    /** No such route or resource. */
    NOT_FOUND(404, "not_found", "invalid_request", Exit.REFUSED),
    /** A known route with another method ({@link ServerException#argument()}: the allowed methods). */
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "invalid_request", Exit.USAGE),
    /** The request URI is over Jetty's limit. */
    URI_TOO_LONG(414, "uri_too_long", "invalid_request", Exit.USAGE),
    /** The header section is over Jetty's limit. */
    HEADERS_TOO_LARGE(431, "headers_too_large", "invalid_request", Exit.USAGE),

    // ---- the caller's bearer token (what jot-guard decides, RFC 6750 §3.1) ----
    /** No access token was sent. */
    TOKEN_MISSING(401, "token_missing", "invalid_token", Exit.REFUSED),
    /** The access token is malformed, forged, revoked, or its account is gone. */
    TOKEN_INVALID(401, "token_invalid", "invalid_token", Exit.REFUSED),
    /** The access token has expired. */
    TOKEN_EXPIRED(401, "token_expired", "invalid_token", Exit.REFUSED),
    /** The token was sent wrongly (a malformed {@code Authorization} header, two methods at once). */
    BEARER_INVALID_REQUEST(400, "invalid_request", "invalid_request", Exit.USAGE),
    /** The token lacks a role or scope ({@link ServerException#argument()}: which). */
    INSUFFICIENT_SCOPE(403, "insufficient_scope", "insufficient_scope", Exit.REFUSED),

    // ---- accounts ----
    /** A username the rules refuse. */
    INVALID_USERNAME(400, "invalid_username", "invalid_request", Exit.USAGE),
    /** A new password the rules refuse. */
    INVALID_PASSWORD(400, "invalid_password", "invalid_request", Exit.USAGE),
    /** The username is taken. */
    USER_EXISTS(409, "user_exists", "invalid_request", Exit.REFUSED),
    /** Unknown user, wrong password or disabled account at login: deliberately one answer for all three. */
    INVALID_CREDENTIALS(401, "invalid_credentials", "invalid_grant", Exit.REFUSED),
    /**
     * As {@link #INVALID_CREDENTIALS}, for credentials sent with HTTP Basic: only this one carries the Basic
     * challenge (a JSON or form login that got one would make a browser pop its login box, then replay cached Basic
     * credentials).
     */
    INVALID_BASIC_CREDENTIALS(401, "invalid_credentials", "invalid_grant", Exit.REFUSED),
    /**
     * Too many failed password checks for this account, client address or both, or too many registrations from
     * this address: try again after {@link ServerException#retryAfter()}. Answered without checking the password,
     * alike for known and unknown accounts.
     */
    RATE_LIMITED(429, "rate_limited", "temporarily_unavailable", Exit.REFUSED),
    /**
     * The caller's rate or usage quota is used up (the guard's token bucket, or a day/month quota the server
     * announced on the revocation feed); the argument names the policy, {@link ServerException#retryAfter()} when it
     * refills.
     */
    QUOTA_EXCEEDED(429, "quota_exceeded", "temporarily_unavailable", Exit.REFUSED),
    /** The current password given to a password change is wrong (the caller is authenticated: 403, not 401). */
    WRONG_CURRENT_PASSWORD(403, "invalid_credentials", "invalid_grant", Exit.REFUSED),
    /** No user by that name or id (administration). */
    USER_NOT_FOUND(404, "user_not_found", "invalid_request", Exit.REFUSED),
    /** A role name the rules refuse. */
    INVALID_ROLE(400, "invalid_role", "invalid_request", Exit.USAGE),
    /** Self-registration is closed ({@code --registration closed}): an admin creates accounts. */
    REGISTRATION_CLOSED(403, "registration_closed", "invalid_request", Exit.REFUSED),
    /** The change would leave no enabled user with the {@code admin} role. */
    LAST_ADMIN(409, "last_admin", "invalid_request", Exit.REFUSED),

    // ---- sessions ----
    /** The refresh token is unknown, spent, or its session has ended. */
    REFRESH_TOKEN_INVALID(401, "token_invalid", "invalid_grant", Exit.REFUSED),
    /** The refresh token (or its session) has expired. */
    REFRESH_TOKEN_EXPIRED(401, "token_expired", "invalid_grant", Exit.REFUSED),

    // ---- OAuth 2.0 requests (RFC 6749 §5.2) ----
    /** A grant type the server does not offer. */
    UNSUPPORTED_GRANT_TYPE(400, "unsupported_grant_type", "unsupported_grant_type", Exit.USAGE),
    /** A scope the credential may not request. */
    INVALID_SCOPE(400, "invalid_scope", "invalid_scope", Exit.USAGE),
    /**
     * Client authentication failed (unknown client, wrong secret, or none) without HTTP Basic: 400 (RFC 6749 §5.2).
     */
    INVALID_CLIENT(400, "invalid_client", "invalid_client", Exit.REFUSED),
    /** Client authentication by HTTP Basic failed: 401 with a {@code Basic} challenge (RFC 6749 §5.2). */
    INVALID_CLIENT_BASIC(401, "invalid_client", "invalid_client", Exit.REFUSED),
    /** A {@code resource} or {@code audience} that is not a registered API, or not one the credential may name. */
    INVALID_TARGET(400, "invalid_target", "invalid_target", Exit.USAGE),

    // ---- machine credentials and administration ----
    /** No API key of the caller's with that id (another user's key is not found either, never forbidden). */
    API_KEY_NOT_FOUND(404, "api_key_not_found", "invalid_request", Exit.REFUSED),
    /** The user holds as many API keys as one user may. */
    TOO_MANY_API_KEYS(409, "too_many_api_keys", "invalid_request", Exit.REFUSED),
    /** No OAuth client with that id. */
    CLIENT_NOT_FOUND(404, "client_not_found", "invalid_request", Exit.REFUSED),
    /** No secret with that id on that client. */
    SECRET_NOT_FOUND(404, "secret_not_found", "invalid_request", Exit.REFUSED),
    /** The client already has two live secrets: remove one before adding another. */
    TOO_MANY_SECRETS(409, "too_many_secrets", "invalid_request", Exit.REFUSED),
    /** No live session with that id. */
    SESSION_NOT_FOUND(404, "session_not_found", "invalid_request", Exit.REFUSED),

    // ---- usage metering and quotas ----
    /** A usage batch ({@code POST /usage/batches}) that breaks the wire contract: nothing of it is stored. */
    USAGE_BATCH_INVALID(400, "usage_batch_invalid", "invalid_request", Exit.USAGE),
    /** A usage read with a bad range, granularity, grouping or limit. */
    USAGE_QUERY_INVALID(400, "usage_query_invalid", "invalid_request", Exit.USAGE),

    // ---- signing keys ----
    /** HS256 signs with a configured secret: there is nothing to rotate. */
    NO_ROTATION(409, "no_rotation", "invalid_request", Exit.USAGE),
    /** Another rotation won a race with this one. */
    ROTATION_CONFLICT(409, "rotation_conflict", "invalid_request", Exit.REFUSED),

    // ---- opening the server's database and data directory (jot serve, jot admin) ----
    /** The server cannot start (data directory, database, port). */
    STARTUP(500, "startup_failed", "server_error", Exit.REFUSED),
    /** There is no Jot database where the settings point. */
    NO_DATABASE(500, "no_database", "server_error", Exit.REFUSED),
    /** The data directory cannot be created or written. */
    DATA_DIRECTORY(500, "data_directory", "server_error", Exit.REFUSED),
    /** The embedded database is open in another process (a running server). */
    DATABASE_IN_USE(503, "database_in_use", "temporarily_unavailable", Exit.REFUSED),

    // ---- the server's own condition ----
    /** The database is down, unreachable or cannot be opened: retry shortly. */
    DATABASE_UNAVAILABLE(503, "database_unavailable", "temporarily_unavailable", Exit.REFUSED),
    /** The request collided with a concurrent one (deadlock, serialization failure): retry. */
    DATABASE_BUSY(503, "database_busy", "temporarily_unavailable", Exit.REFUSED),
    /**
     * Every password-hashing slot and queue place is taken, or the request waited past its deadline: retry after
     * {@link ServerException#retryAfter()}. Answered at once, without queueing.
     */
    SERVER_BUSY(503, "server_busy", "temporarily_unavailable", Exit.REFUSED),
    /** A bug: logged with its stack trace, answered without details. */
    INTERNAL_ERROR(500, "internal_error", "server_error", Exit.REFUSED);

    /** The {@code jot} command's exit statuses (its scriptable contract; the CLI's {@code Exit} has the same). */
    public static final class Exit {
        /** The command ran and the answer is no. */
        public static final int REFUSED = 1;
        /** The command could not run as given. */
        public static final int USAGE = 2;

        private Exit() {
        }
    }

    private final int status;
    private final String code;
    private final String oauthError;
    private final int exitStatus;

    ServerError(int status, String code, String oauthError, int exitStatus) {
        this.status = status;
        this.code = code;
        this.oauthError = oauthError;
        this.exitStatus = exitStatus;
    }

    /** The HTTP status of the problem document. */
    public int status() {
        return status;
    }

    /** The problem document's stable {@code code}. */
    public String code() {
        return code;
    }

    /** The RFC 6749 §5.2 (or RFC 6750 §3.1) {@code error} value. */
    public String oauthError() {
        return oauthError;
    }

    /** The CLI's code in {@code error: CODE: message}: the constant's name. */
    public String cliCode() {
        return name();
    }

    /** The CLI's exit status: {@link Exit#USAGE} when the command as given was wrong, else {@link Exit#REFUSED}. */
    public int exitStatus() {
        return exitStatus;
    }
}
