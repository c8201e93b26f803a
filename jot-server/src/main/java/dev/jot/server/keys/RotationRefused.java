package dev.jot.server.keys;

/** A rotation that cannot happen; {@link #code()} is stable ({@code NO_ROTATION}, {@code ROTATION_CONFLICT}). */
public final class RotationRefused extends RuntimeException {
    public static final String NO_ROTATION = "NO_ROTATION";
    public static final String CONFLICT = "ROTATION_CONFLICT";

    private final String code;

    RotationRefused(String code, String message) {
        super(message, null, false, false); // an answer for the operator, not a bug: no stack trace
        this.code = code;
    }

    public String code() {
        return code;
    }
}
