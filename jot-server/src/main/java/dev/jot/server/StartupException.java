package dev.jot.server;

/** The server cannot start; the message says why in terms of the configuration (safe to print to the user). */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
