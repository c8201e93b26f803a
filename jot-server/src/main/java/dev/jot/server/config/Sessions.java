package dev.jot.server.config;

import java.time.Duration;

/**
 * How long sessions live. A session is a refresh-token family: one login, renewed by rotation. The bounds are the
 * settings' ({@link Settings#REFRESH_TOKEN_TTL}, {@link Settings#SESSION_LIFETIME},
 * {@link Settings#REFRESH_REUSE_GRACE}), checked when a {@link ServerConfig} is built.
 *
 * @param refreshTokenTtl how long one refresh token stays usable (each rotation starts a new one)
 * @param familyLifetime  how long a family can be renewed at all, counted from the login
 * @param reuseGrace      how long after a refresh token is spent a retry with it still gets the family's
 *                        current pair instead of revoking the family (0: never)
 */
public record Sessions(Duration refreshTokenTtl, Duration familyLifetime, Duration reuseGrace) {
    public static final Sessions DEFAULTS = new Sessions(Settings.REFRESH_TOKEN_TTL.defaultValue(),
            Settings.SESSION_LIFETIME.defaultValue(), Settings.REFRESH_REUSE_GRACE.defaultValue());

    @Override
    public String toString() {
        return "Sessions[refreshTokenTtl=" + Durations.format(refreshTokenTtl) + ", familyLifetime="
                + Durations.format(familyLifetime) + ", reuseGrace=" + Durations.format(reuseGrace) + "]";
    }
}
