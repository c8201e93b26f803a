package dev.jot.server.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A refusal or failure of the server: one {@link ServerError} and a detail text for people. The detail never
 * echoes secrets (passwords, tokens, keys) and, since it may travel in a {@code WWW-Authenticate} challenge, is
 * fixed text or names only what the server chose. Thrown by services and handlers; each surface (problem
 * documents, OAuth JSON, the CLI) renders it in its own mapping. No stack trace: this is an answer, not a bug.
 */
public final class ServerException extends RuntimeException {
    private final ServerError error;
    private final String argument;
    private final Duration retryAfter;

    private ServerException(ServerError error, String detail, String argument, Duration retryAfter) {
        super(Objects.requireNonNull(detail), null, false, false);
        this.error = Objects.requireNonNull(error);
        this.argument = argument;
        this.retryAfter = retryAfter;
    }

    public ServerException(ServerError error, String detail) {
        this(error, detail, null, null);
    }

    /** A 400 {@link ServerError#INVALID_REQUEST}: the commonest refusal. */
    public static ServerException badRequest(String detail) {
        return new ServerException(ServerError.INVALID_REQUEST, detail);
    }

    /**
     * The same refusal with its argument: the role or scope an {@link ServerError#INSUFFICIENT_SCOPE} lacks, the
     * media types an {@link ServerError#UNSUPPORTED_MEDIA_TYPE} route reads, the methods a
     * {@link ServerError#METHOD_NOT_ALLOWED} resource has.
     */
    public ServerException withArgument(String value) {
        return new ServerException(error, getMessage(), value, retryAfter);
    }

    /** The same refusal, advising the client when to try again (sent as {@code Retry-After}). */
    public ServerException withRetryAfter(Duration after) {
        return new ServerException(error, getMessage(), argument, after);
    }

    public ServerError error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    public Optional<String> argument() {
        return Optional.ofNullable(argument);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public String toString() {
        return "ServerException[" + error + ": " + getMessage() + "]";
    }
}
