package dev.jot.cli;

/** The exit codes every {@code jot} command keeps: part of the scriptable contract. */
final class Exit {
    /** Done; for {@code verify}, every token was valid. */
    static final int OK = 0;
    /** The command ran and the answer is no: an invalid token (or an unexpected failure). */
    static final int INVALID = 1;
    /** The command could not run as given: bad flags or values, an unreadable file, an unusable key. */
    static final int USAGE = 2;

    private Exit() {
    }
}
