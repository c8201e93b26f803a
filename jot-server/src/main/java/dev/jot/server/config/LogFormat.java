package dev.jot.server.config;

/** How the server writes its log lines ({@code --log-format}). */
public enum LogFormat {
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per line (logback's {@code JsonEncoder}), for log shippers. */
    JSON
}
