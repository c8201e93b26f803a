package dev.jot.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Guard#forIssuer} guard fetches its keys; {@link Guard.Builder} documents each setting to users.
 * The defaults are written here and nowhere else.
 *
 * @param maxBytes a response larger than this is refused unread (Jot's key set is about 2 KiB)
 * @param fresh how long a key set is fresh when the response says nothing, and the bounds on what it says
 * @param retry the backoff between failed fetches
 * @param background whether a worker thread fetches when due; tests turn it off and call
 *     {@link RemoteJwks#maintain()} instead
 */
record FetchSettings(Duration connectTimeout, Duration readTimeout, int maxBytes, CacheLifetime fresh,
                     Duration unknownKeyCooldown, Duration serveStaleFor, Backoff retry, boolean background) {

    static final Duration MAX_SERVE_STALE = Duration.ofDays(30);

    static final FetchSettings DEFAULTS = new FetchSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 64 * 1024,
            new CacheLifetime(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(24)),
            Duration.ofSeconds(30), Duration.ofHours(24), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), true);

    FetchSettings {
        if (!isPositive(connectTimeout) || !isPositive(readTimeout)) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the response cap must be positive");
        }
        if (!isPositive(fresh.min())) {
            throw new IllegalArgumentException("the key cache needs a positive minimum lifetime");
        }
        if (unknownKeyCooldown.isNegative()) {
            throw new IllegalArgumentException("the cooldown must not be negative");
        }
        if (serveStaleFor.isNegative() || serveStaleFor.compareTo(MAX_SERVE_STALE) > 0) {
            throw new IllegalArgumentException("the stale-key bound must be within 0 and 30 days");
        }
        Objects.requireNonNull(retry);
    }

    FetchSettings withTimeouts(Duration connect, Duration read) {
        return new FetchSettings(connect, read, maxBytes, fresh, unknownKeyCooldown, serveStaleFor, retry, background);
    }

    FetchSettings withFreshBounds(Duration min, Duration max) {
        return new FetchSettings(connectTimeout, readTimeout, maxBytes, new CacheLifetime(fresh.fallback(), min, max),
                unknownKeyCooldown, serveStaleFor, retry, background);
    }

    FetchSettings withUnknownKeyCooldown(Duration cooldown) {
        return new FetchSettings(connectTimeout, readTimeout, maxBytes, fresh, cooldown, serveStaleFor, retry, background);
    }

    FetchSettings withServeStaleFor(Duration bound) {
        return new FetchSettings(connectTimeout, readTimeout, maxBytes, fresh, unknownKeyCooldown, bound, retry, background);
    }

    FetchSettings withBackground(boolean on) {
        return new FetchSettings(connectTimeout, readTimeout, maxBytes, fresh, unknownKeyCooldown, serveStaleFor, retry, on);
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
