package dev.jot.server.http;

import dev.jot.guard.AuthResult.Reason;
import dev.jot.guard.Guard;
import dev.jot.guard.Rejections;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The problem-document surface (RFC 9457 {@code application/problem+json}): the body of every refusal and the
 * headers each {@link ServerError} needs. This class and {@link OAuthErrors} are the only places that choose
 * response headers for errors; Bearer challenges come from jot-guard's {@link Rejections}, like the guard's own.
 */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Rejections BEARER = new Rejections(Guard.DEFAULT_REALM);
    /** RFC 7617 §2 (with §2.1's charset): the password routes also take HTTP Basic. */
    static final String BASIC_CHALLENGE = "Basic realm=\"jot\", charset=\"UTF-8\"";
    private static final Duration DATABASE_RETRY = Duration.ofSeconds(5);
    private static final Duration COLLISION_RETRY = Duration.ofSeconds(1);

    private Problems() {
    }

    /**
     * The headers of a refusal besides {@code Content-Type}. The switch has no default: a new error does not compile
     * until it says which headers it sends.
     */
    public static Map<String, String> headers(ServerException e) {
        return switch (e.error()) {
            // RFC 9110 §15.5.2: a 401 carries a challenge; RFC 6750 §3 says what is wrong with the bearer token.
            case TOKEN_MISSING -> challenge(bearer(Reason.TOKEN_MISSING, e));
            case TOKEN_INVALID, REFRESH_TOKEN_INVALID -> challenge(bearer(Reason.TOKEN_INVALID, e));
            case TOKEN_EXPIRED, REFRESH_TOKEN_EXPIRED -> challenge(bearer(Reason.TOKEN_EXPIRED, e));
            case BEARER_INVALID_REQUEST -> challenge(bearer(Reason.INVALID_REQUEST, e));
            case INSUFFICIENT_SCOPE -> challenge(bearer(Reason.INSUFFICIENT_SCOPE, e));
            // RFC 7617: only a request that used Basic is challenged with it. A JSON or form login gets no
            // challenge: there is no registered scheme for them, and a Basic one makes browsers prompt and then
            // replay cached credentials (a deliberate departure from RFC 9110 §15.5.2's MUST). RFC 6749 §5.2: a
            // client that failed to authenticate with Basic gets a 401 challenging that scheme.
            case INVALID_BASIC_CREDENTIALS, INVALID_CLIENT_BASIC -> challenge(BASIC_CHALLENGE);
            case INVALID_CREDENTIALS -> Map.of();
            // RFC 6585 §4 and RFC 9110 §10.2.3: how long the throttle or the hashing queue asks the client to wait
            case RATE_LIMITED, SERVER_BUSY, QUOTA_EXCEEDED -> Map.of("Retry-After", seconds(e, COLLISION_RETRY));
            // RFC 7694 §3: a 415 may say which media types the resource accepts
            case UNSUPPORTED_MEDIA_TYPE -> optional("Accept-Post", e.argument().orElse(null));
            // RFC 9110 §15.5.6: a 405 names the methods the resource has
            case METHOD_NOT_ALLOWED -> optional("Allow", e.argument().orElse(null));
            // RFC 9110 §10.2.3: when to try again
            case DATABASE_UNAVAILABLE, DATABASE_IN_USE -> Map.of("Retry-After", seconds(e, DATABASE_RETRY));
            case DATABASE_BUSY -> Map.of("Retry-After", seconds(e, COLLISION_RETRY));
            // RFC 9112 §9.6: the rest of an over-long body is not read, so the connection cannot carry another request
            case PAYLOAD_TOO_LARGE -> Map.of("Connection", "close");
            case INVALID_REQUEST, NOT_FOUND, URI_TOO_LONG, HEADERS_TOO_LARGE, INVALID_USERNAME,
                 INVALID_PASSWORD, USER_EXISTS, WRONG_CURRENT_PASSWORD, USER_NOT_FOUND, INVALID_ROLE,
                 UNSUPPORTED_GRANT_TYPE, INVALID_SCOPE, INVALID_CLIENT, NO_ROTATION, ROTATION_CONFLICT, STARTUP,
                 NO_DATABASE, DATA_DIRECTORY, INTERNAL_ERROR, REGISTRATION_CLOSED, LAST_ADMIN, INVALID_TARGET,
                 API_KEY_NOT_FOUND, TOO_MANY_API_KEYS, CLIENT_NOT_FOUND, SECRET_NOT_FOUND, TOO_MANY_SECRETS,
                 SESSION_NOT_FOUND, USAGE_BATCH_INVALID, USAGE_QUERY_INVALID ->
                    optional("Retry-After", e.retryAfter().map(d -> seconds(e, d)).orElse(null));
        };
    }

    private static Map<String, String> challenge(String value) {
        return Map.of("WWW-Authenticate", value);
    }

    private static Map<String, String> optional(String name, String value) {
        return value == null ? Map.of() : Map.of(name, value);
    }

    /**
     * {@code title}, {@code status}, {@code detail}, plus the stable {@code code} extension member that programs
     * switch on (RFC 9457 §3.2). {@code type} is omitted, which per §4.2.1 means {@code about:blank}.
     */
    public static Map<String, Object> body(ServerException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(e.error().status()));
        body.put("status", e.error().status());
        body.put("code", e.error().code());
        body.put("detail", e.detail());
        return body;
    }

    private static String bearer(Reason reason, ServerException e) {
        return BEARER.refuse(reason, e.detail(), e.argument().orElse(null)).wwwAuthenticate();
    }

    private static String seconds(ServerException e, Duration fallback) {
        long s = e.retryAfter().orElse(fallback).toSeconds();
        return Long.toString(Math.max(1, s));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
