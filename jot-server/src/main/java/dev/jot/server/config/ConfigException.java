package dev.jot.server.config;

/**
 * A configuration value that stops the start. The message is {@code <VARIABLE>: <reason>}; a command line shows
 * the reason under every spelling of the setting ({@link Setting#spelled()}).
 */
public final class ConfigException extends RuntimeException {
    private final String option;
    private final String reason;

    public ConfigException(String option, String reason) {
        super(option + ": " + reason);
        this.option = option;
        this.reason = reason;
    }

    public ConfigException(Setting<?> setting, String reason) {
        this(setting.variable(), reason);
    }

    /** The environment variable (or option) that was wrong, e.g. {@code JOT_PORT}. */
    public String option() {
        return option;
    }

    /** What is wrong, without the name: {@code must be between 0 and 65535, was 70000}. */
    public String reason() {
        return reason;
    }
}
