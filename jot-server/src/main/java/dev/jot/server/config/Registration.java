package dev.jot.server.config;

/** Who may create an account ({@code --registration}). */
public enum Registration {
    /** Anyone, by {@code POST /register}. */
    OPEN,
    /** Only an admin ({@code POST /admin/users}, {@code jot admin create-user}); {@code POST /register} is 403. */
    CLOSED
}
