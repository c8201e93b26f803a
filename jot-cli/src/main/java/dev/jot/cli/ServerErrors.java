package dev.jot.cli;

import dev.jot.server.StartupException;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;

/**
 * The command line's surface of the server's errors ({@link ServerError}): one line {@code error: CODE: message}
 * with the constant's CLI code and exit status, plus a pointer to {@code --help} when the way the command was
 * written is what to change.
 */
final class ServerErrors {
    private ServerErrors() {
    }

    static CliError of(ServerException e) {
        ServerError error = e.error();
        String message = pointsAtHelp(error) ? e.detail() + " (see --help)" : e.detail();
        return CliError.of(error.cliCode(), message, error.exitStatus());
    }

    /** A server that cannot start: {@link ServerError#STARTUP}. */
    static CliError of(StartupException e) {
        return of(new ServerException(ServerError.STARTUP, e.getMessage()));
    }

    /**
     * Whether the fix is in the command as typed (an argument the rules refuse), so the line ends by pointing at
     * {@code --help}. The switch has no default: a new error does not compile until it says.
     */
    static boolean pointsAtHelp(ServerError error) {
        return switch (error) {
            case INVALID_ROLE, INVALID_USERNAME, INVALID_PASSWORD -> true;
            case INVALID_REQUEST, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, NOT_FOUND, METHOD_NOT_ALLOWED,
                 URI_TOO_LONG, HEADERS_TOO_LARGE, TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED,
                 BEARER_INVALID_REQUEST, INSUFFICIENT_SCOPE, USER_EXISTS, INVALID_CREDENTIALS,
                 INVALID_BASIC_CREDENTIALS, RATE_LIMITED, QUOTA_EXCEEDED, SERVER_BUSY,
                 WRONG_CURRENT_PASSWORD, USER_NOT_FOUND, REFRESH_TOKEN_INVALID, REFRESH_TOKEN_EXPIRED,
                 UNSUPPORTED_GRANT_TYPE, INVALID_SCOPE, INVALID_CLIENT, NO_ROTATION, ROTATION_CONFLICT, STARTUP,
                 NO_DATABASE, DATA_DIRECTORY, DATABASE_IN_USE, DATABASE_UNAVAILABLE, DATABASE_BUSY,
                 INTERNAL_ERROR, REGISTRATION_CLOSED, LAST_ADMIN, INVALID_CLIENT_BASIC, INVALID_TARGET,
                 API_KEY_NOT_FOUND, TOO_MANY_API_KEYS, CLIENT_NOT_FOUND, SECRET_NOT_FOUND, TOO_MANY_SECRETS,
                 SESSION_NOT_FOUND, USAGE_BATCH_INVALID, USAGE_QUERY_INVALID -> false;
        };
    }
}
