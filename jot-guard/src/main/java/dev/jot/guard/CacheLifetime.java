package dev.jot.guard;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a fetched key set stays fresh: the response's freshness lifetime (RFC 9111 §4.2.1: {@code max-age}
 * minus {@code Age}), a default when the server says nothing, clamped to configured bounds. The lower bound keeps
 * a server that says {@code no-cache} or {@code max-age=0} from being asked on every request; the upper bound
 * keeps a mistaken year-long {@code max-age} from hiding a key rotation for that long.
 */
record CacheLifetime(Duration fallback, Duration min, Duration max) {

    private static final long MAX_DELTA = 1L << 31;

    CacheLifetime {
        if (min.isNegative() || min.compareTo(max) > 0 || fallback.isNegative()) {
            throw new IllegalArgumentException("the key cache bounds need 0 <= min <= max");
        }
    }

    Duration of(HttpHeaders headers) {
        Duration d = freshness(headers).orElse(fallback);
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    /**
     * RFC 9111 §5.2.2.1 {@code max-age} (the first one: §4.2.1), less the {@code Age} a cache in between already
     * spent (§5.1); {@code no-store} and {@code no-cache} mean "stale at once". Empty when there is no directive.
     */
    static Optional<Duration> freshness(HttpHeaders headers) {
        Long maxAge = null;
        for (String value : headers.allValues("Cache-Control")) {
            for (String directive : value.split(",")) {
                String d = directive.strip();
                int eq = d.indexOf('=');
                String name = (eq < 0 ? d : d.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                if (name.equals("no-store") || name.equals("no-cache")) {
                    return Optional.of(Duration.ZERO);
                }
                if (name.equals("max-age") && maxAge == null) {
                    maxAge = eq < 0 ? 0L : deltaSeconds(d.substring(eq + 1).strip());
                }
            }
        }
        if (maxAge == null) {
            return Optional.empty();
        }
        long age = headers.firstValue("Age").map(a -> deltaSeconds(a.strip())).orElse(0L);
        return Optional.of(Duration.ofSeconds(Math.max(0, maxAge - age)));
    }

    /**
     * RFC 9111 §1.2.2 delta-seconds, quoted tolerated (§5.2), values past 2^31 read as 2^31 (§1.2.2); anything
     * else counts as 0: an unreadable lifetime makes the set stale, never fresher.
     */
    private static long deltaSeconds(String s) {
        String v = s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return v.length() > 10 ? MAX_DELTA : Math.min(MAX_DELTA, Long.parseLong(v));
    }
}
