package dev.jot.server.config;

/** A configuration value that stops the start; the message names the option (and its environment variable). */
public final class ConfigException extends RuntimeException {
    private final String option;

    public ConfigException(String option, String message) {
        super(option + ": " + message);
        this.option = option;
    }

    /** The environment variable (or option) that was wrong, e.g. {@code JOT_PORT}. */
    public String option() {
        return option;
    }
}
