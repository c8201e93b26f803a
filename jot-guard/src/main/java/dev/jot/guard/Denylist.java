package dev.jot.guard;

import dev.jot.jwt.Claims;
import dev.jot.jwt.Json;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.VerifiedJwt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The denials a revocation feed announced: tokens whose {@code jti}, {@code sid} or {@code sub} equals a value
 * are refused until an instant. Read lock-free on every request; written by the feed.
 *
 * <p>A resync ({@code reset}, the snapshot, {@code ready}) is built aside and swapped in at {@code ready}, while
 * every denial also takes effect at once: during a resync nothing known is forgotten, and nothing new waits.
 * A resync cut off before {@code ready} leaves the list as it was plus what arrived.
 */
final class Denylist {

    /** What a denial matches: the {@code jti}, the {@code sid} claim (a login session) or the {@code sub}. */
    enum Kind {
        JTI(Claims.JWT_ID), SID("sid"), SUB(Claims.SUBJECT);

        final String claim;

        Kind(String claim) {
            this.claim = claim;
        }
    }

    /** One {@code deny} event's data: {@code {"kind":"jti"|"sid"|"sub","value":"...","until":<epoch seconds>}}. */
    record Denial(Kind kind, String value, long untilEpochSecond) {

        /** Beyond any clock, and still a valid millisecond count. */
        static final long FOREVER = Long.MAX_VALUE / 1000;

        /** Parses the data of a {@code deny} event; {@link IllegalArgumentException} if it is not one. */
        static Denial parse(String data) {
            Map<String, Object> m;
            try {
                m = Json.parseObject(data.getBytes(StandardCharsets.UTF_8), 4);
            } catch (JwtException e) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Kind kind = switch (m.get("kind") instanceof String k ? k : "") {
                case "jti" -> Kind.JTI;
                case "sid" -> Kind.SID;
                case "sub" -> Kind.SUB;
                default -> throw new IllegalArgumentException("unknown kind");
            };
            if (!(m.get("value") instanceof String value) || value.isEmpty()) {
                throw new IllegalArgumentException("no value");
            }
            Object until = m.get("until");
            if (until instanceof Long seconds) {
                return new Denial(kind, value, Math.min(seconds, FOREVER));
            }
            if (until instanceof BigInteger big && big.signum() > 0) {
                return new Denial(kind, value, FOREVER);
            }
            throw new IllegalArgumentException("until is not an integer");
        }
    }

    /** One map per kind: value → until, in epoch seconds. */
    private record Lists(Map<String, Long> jti, Map<String, Long> sid, Map<String, Long> sub) {
        Lists() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }

        Map<String, Long> of(Kind k) {
            return switch (k) {
                case JTI -> jti;
                case SID -> sid;
                case SUB -> sub;
            };
        }

        int size() {
            return jti.size() + sid.size() + sub.size();
        }

        void purge(long nowSeconds) {
            jti.values().removeIf(until -> until <= nowSeconds);
            sid.values().removeIf(until -> until <= nowSeconds);
            sub.values().removeIf(until -> until <= nowSeconds);
        }
    }

    private volatile Lists active = new Lists();
    /** The list a resync builds; only the feed's event thread touches it, under the subscriber's lock. */
    private Lists staging;

    /** Applies a denial unless it has already ended; a longer one for the same value wins. */
    void deny(Denial d, long nowSeconds) {
        if (d.untilEpochSecond() <= nowSeconds) {
            return;
        }
        active.of(d.kind()).merge(d.value(), d.untilEpochSecond(), Math::max);
        if (staging != null) {
            staging.of(d.kind()).merge(d.value(), d.untilEpochSecond(), Math::max);
        }
    }

    void beginResync() {
        staging = new Lists();
    }

    /** The resync is complete: its list replaces the old one. */
    void completeResync() {
        if (staging != null) {
            active = staging;
            staging = null;
        }
    }

    void abandonResync() {
        staging = null;
    }

    boolean isDenied(VerifiedJwt jwt, long nowMillis) {
        Lists l = active;
        Claims c = jwt.claims();
        return denied(l.jti(), c.get(Claims.JWT_ID), nowMillis) || denied(l.sid(), c.get("sid"), nowMillis)
                || denied(l.sub(), c.get(Claims.SUBJECT), nowMillis);
    }

    private static boolean denied(Map<String, Long> list, Object claim, long nowMillis) {
        if (!(claim instanceof String value) || list.isEmpty()) {
            return false;
        }
        Long until = list.get(value);
        return until != null && nowMillis < until * 1000;
    }

    /** Drops denials that have ended. */
    void purge(long nowSeconds) {
        active.purge(nowSeconds);
    }

    int size() {
        return active.size();
    }
}
