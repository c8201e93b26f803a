package dev.jot.server;

/**
 * An administration command that cannot be done; {@link #code()} is stable (e.g. {@code DATABASE_IN_USE},
 * {@code NO_ROTATION}, {@code USER_NOT_FOUND}) and the message says what to do, fit to print to the operator.
 */
public final class AdminException extends RuntimeException {
    private final String code;

    AdminException(String code, String message) {
        super(message, null, false, false); // an answer for the operator, not a bug: no stack trace
        this.code = code;
    }

    public String code() {
        return code;
    }
}
