package dev.jot.server.config;

import java.time.Duration;

/**
 * How long sessions live. A session is a refresh-token family: one login, renewed by rotation.
 *
 * @param refreshTokenTtl how long one refresh token stays usable (each rotation starts a new one)
 * @param familyLifetime  how long a family can be renewed at all, counted from the login
 * @param reuseGrace      how long after a refresh token is spent a retry with it still gets the family's
 *                        current pair instead of revoking the family (0: never)
 */
public record Sessions(Duration refreshTokenTtl, Duration familyLifetime, Duration reuseGrace) {
    public static final Sessions DEFAULTS = new Sessions(Duration.ofDays(30), Duration.ofDays(90), Duration.ofSeconds(10));

    void check() {
        if (refreshTokenTtl == null || refreshTokenTtl.toMinutes() < 1 || refreshTokenTtl.toDays() > 3650) {
            throw new ConfigException("JOT_REFRESH_TOKEN_TTL", "must be between 1m and 3650d");
        }
        if (familyLifetime == null || familyLifetime.compareTo(refreshTokenTtl) < 0 || familyLifetime.toDays() > 3650) {
            throw new ConfigException("JOT_SESSION_LIFETIME", "must be at least JOT_REFRESH_TOKEN_TTL and at most 3650d");
        }
        if (reuseGrace == null || reuseGrace.isNegative() || reuseGrace.toMinutes() > 5) {
            throw new ConfigException("JOT_REFRESH_REUSE_GRACE", "must be between 0s and 5m");
        }
    }

    @Override
    public String toString() {
        return "Sessions[refreshTokenTtl=" + Durations.format(refreshTokenTtl) + ", familyLifetime="
                + Durations.format(familyLifetime) + ", reuseGrace=" + Durations.format(reuseGrace) + "]";
    }
}
