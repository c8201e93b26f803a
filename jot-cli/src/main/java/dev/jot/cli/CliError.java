package dev.jot.cli;

import dev.jot.jwt.JwtException;

/**
 * A failure a command reports as one line, {@code error: <CODE>: <message>}, with its exit code. Codes are the
 * library's {@link JwtException.Code} names, plus {@code USAGE} for problems with the command line itself.
 */
final class CliError extends RuntimeException {

    private final String code;
    private final int exitCode;

    private CliError(String code, String message, int exitCode) {
        super(message, null, false, false);
        this.code = code;
        this.exitCode = exitCode;
    }

    /** The command line is wrong: exit 2. */
    static CliError usage(String message) {
        return new CliError("USAGE", message, Exit.USAGE);
    }

    /** An input the user supplied (key, claims) is unusable: exit 2, keeping the library's code. */
    static CliError badInput(String what, JwtException e) {
        return new CliError(e.code().name(), what + ": " + e.getMessage(), Exit.USAGE);
    }

    /** A failure with its own code, e.g. the server's {@code DATABASE_IN_USE} (see {@link ServerErrors}). */
    static CliError of(String code, String message, int exitCode) {
        return new CliError(code, message, exitCode);
    }

    String code() {
        return code;
    }

    int exitCode() {
        return exitCode;
    }
}
