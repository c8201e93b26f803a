package dev.jot.server.config;

import java.time.Duration;

/**
 * How long finished records are kept, and how many live sessions a user may have (issue 10, item 7): see
 * {@link Settings#AUDIT_RETENTION} and the three after it.
 */
public record Retention(Duration audit, Duration spentRefreshTokens, Duration endedSessions, int maxSessionsPerUser) {

    public static Retention of(ServerConfig config) {
        return new Retention(config.get(Settings.AUDIT_RETENTION), config.get(Settings.SPENT_TOKEN_RETENTION),
                config.get(Settings.ENDED_SESSION_RETENTION), config.get(Settings.MAX_SESSIONS_PER_USER));
    }
}
