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
 * The denials a revocation feed announced: tokens whose {@code jti}, {@code sid}, {@code sub} or {@code client_id}
 * equals a value are refused until an instant (for {@code sub} and {@code client_id}, those issued up to a
 * cut-off: a disabled user, a revoked API key, a deleted OAuth client). Read lock-free on every request;
 * written by the feed.
 *
 * <p>A resync ({@code reset}, the snapshot, {@code ready}) is built aside and swapped in at {@code ready}, while
 * every denial also takes effect at once: during a resync nothing known is forgotten, and nothing new waits.
 * A resync cut off before {@code ready} leaves the list as it was plus what arrived.
 */
final class Denylist {

    /**
     * What a denial matches: the {@code jti}, the {@code sid} claim (a login session), the {@code sub}, or the
     * {@code client_id} (an API key or OAuth client, RFC 9068 §2.2).
     */
    enum Kind { JTI, SID, SUB, CLIENT }

    /**
     * One {@code deny} event's data: {@code {"kind":"jti"|"sid"|"sub"|"client","value":"...","until":<epoch
     * seconds>}}, and for {@code sub} and {@code client} optionally {@code "issued_before":<epoch seconds>}: then only
     * the tokens issued up to that second are denied (a user re-enabled after being disabled keeps the new tokens),
     * and without it all of them. Other members are ignored, so later servers may add some.
     *
     * @param issuedBefore the last {@code iat} (epoch seconds) a {@code sub} denial covers; {@link #FOREVER} for all
     */
    record Denial(Kind kind, String value, long untilEpochSecond, long issuedBefore) {

        /** Beyond any clock, and still a valid millisecond count. */
        static final long FOREVER = Long.MAX_VALUE / 1000;

        Denial(Kind kind, String value, long untilEpochSecond) {
            this(kind, value, untilEpochSecond, FOREVER);
        }

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
                case "client" -> Kind.CLIENT;
                default -> throw new IllegalArgumentException("unknown kind");
            };
            if (!(m.get("value") instanceof String value) || value.isEmpty()) {
                throw new IllegalArgumentException("no value");
            }
            long until = epochSeconds(m.get("until"), "until");
            Object issuedBefore = m.get("issued_before");
            boolean cutOff = kind == Kind.SUB || kind == Kind.CLIENT;
            return new Denial(kind, value, until,
                    !cutOff || issuedBefore == null ? FOREVER : epochSeconds(issuedBefore, "issued_before"));
        }

        private static long epochSeconds(Object v, String name) {
            if (v instanceof Long seconds) {
                return Math.min(seconds, FOREVER);
            }
            if (v instanceof BigInteger big && big.signum() > 0) {
                return FOREVER;
            }
            throw new IllegalArgumentException(name + " is not an integer");
        }
    }

    /**
     * How long a value is denied, and for {@code sub} and {@code client} which tokens: those with
     * {@code iat <= issuedBefore}.
     */
    private record Span(long until, long issuedBefore) {
        /** Two denials of one value: the later end, and the later cut-off (never less than either denies). */
        Span merge(Span other) {
            return new Span(Math.max(until, other.until), Math.max(issuedBefore, other.issuedBefore));
        }
    }

    /** One map per kind: value → span, in epoch seconds. */
    private record Lists(Map<String, Span> jti, Map<String, Span> sid, Map<String, Span> sub,
                         Map<String, Span> client) {
        Lists() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>());
        }

        void add(Denial d) {
            Map<String, Span> list = switch (d.kind()) {
                case JTI -> jti;
                case SID -> sid;
                case SUB -> sub;
                case CLIENT -> client;
            };
            list.merge(d.value(), new Span(d.untilEpochSecond(), d.issuedBefore()), Span::merge);
        }

        int size() {
            return jti.size() + sid.size() + sub.size() + client.size();
        }

        void purge(long nowSeconds) {
            jti.values().removeIf(s -> s.until() <= nowSeconds);
            sid.values().removeIf(s -> s.until() <= nowSeconds);
            sub.values().removeIf(s -> s.until() <= nowSeconds);
            client.values().removeIf(s -> s.until() <= nowSeconds);
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
        active.add(d);
        if (staging != null) {
            staging.add(d);
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
        if (live(l.jti(), c.get(Claims.JWT_ID), nowMillis) != null || live(l.sid(), c.get("sid"), nowMillis) != null) {
            return true;
        }
        return coversIssue(live(l.sub(), c.get(Claims.SUBJECT), nowMillis), c)
                || coversIssue(live(l.client(), c.get("client_id"), nowMillis), c);
    }

    /** A cut-off denial covers the token if it was issued up to the cut-off; one without iat cannot show otherwise. */
    private static boolean coversIssue(Span span, Claims c) {
        return span != null && c.issuedAt().map(iat -> iat.getEpochSecond() <= span.issuedBefore()).orElse(true);
    }

    /** The span denying {@code claim} at {@code nowMillis}, or null. */
    private static Span live(Map<String, Span> list, Object claim, long nowMillis) {
        if (!(claim instanceof String value) || list.isEmpty()) {
            return null;
        }
        Span s = list.get(value);
        return s != null && nowMillis < s.until() * 1000 ? s : null;
    }

    /** Drops denials that have ended. */
    void purge(long nowSeconds) {
        active.purge(nowSeconds);
    }

    int size() {
        return active.size();
    }
}
