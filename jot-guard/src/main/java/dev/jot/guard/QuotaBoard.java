package dev.jot.guard;

import dev.jot.jwt.Json;
import dev.jot.jwt.JwtException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subjects and clients whose day or month quota the issuer found used up, each until an instant: a guard with
 * {@link Guard.Builder#rateLimits rate limits} refuses their requests with 429 {@code quota_exceeded} until then.
 * Kept current by the revocation feed's {@code event: quota} ({@link RemoteRevocations#quotas()}); an application
 * (or the issuer for its own routes) may also {@link #exhaust} entries itself. Entries end by themselves; a feed
 * resync ({@code reset} … {@code ready}) replaces the board as it replaces the denylist. Read lock-free.
 */
public final class QuotaBoard {

    /** One used-up quota: {@code policy} ({@code day}, {@code month}) of {@code limit} requests, until an instant. */
    public record Exhausted(String policy, long limit, long untilEpochSecond) {
        public Exhausted {
            if (!RateLimitStatus.NAME.matcher(Objects.requireNonNull(policy)).matches()) {
                throw new IllegalArgumentException("a policy name is 1–32 of [a-z0-9_-]");
            }
            if (limit < 0) {
                throw new IllegalArgumentException("negative limit");
            }
        }
    }

    private volatile Map<String, Exhausted> active = new ConcurrentHashMap<>();
    /** What a resync builds; only the feed's event thread touches it, under the subscriber's lock. */
    private Map<String, Exhausted> staging;

    /**
     * Refuses {@code bucket} ({@code "sub:" + subject} or {@code "client:" + client_id}, as a token's
     * {@code jot_limits.bucket} names it) until {@code e} ends; of two entries for one bucket the later end wins. An
     * entry already ended is ignored.
     */
    public void exhaust(String bucket, Exhausted e, long nowEpochSecond) {
        Objects.requireNonNull(bucket);
        if (e.untilEpochSecond() <= nowEpochSecond) {
            return;
        }
        active.merge(bucket, e, QuotaBoard::later);
        Map<String, Exhausted> s = staging;
        if (s != null) {
            s.merge(bucket, e, QuotaBoard::later);
        }
    }

    /** Drops what refuses {@code bucket}: the issuer took its used-up quotas back (an admin changed the quota). */
    public void lift(String bucket) {
        active.remove(bucket);
        Map<String, Exhausted> s = staging;
        if (s != null) {
            s.remove(bucket);
        }
    }

    /** The policy name of a quota event that takes a bucket's used-up quotas back. */
    public static final String LIFTED = "lifted";

    /** The entry refusing {@code bucket} at {@code nowMillis}, or null. */
    public Exhausted find(String bucket, long nowMillis) {
        Map<String, Exhausted> a = active;
        if (a.isEmpty()) {
            return null;
        }
        Exhausted e = a.get(bucket);
        return e != null && nowMillis < e.untilEpochSecond() * 1000 ? e : null;
    }

    /** Whether no entry is held: the common case, checked before building a bucket's name. */
    public boolean isEmpty() {
        return active.isEmpty();
    }

    /** Entries held (ended ones go at the next purge). */
    public int size() {
        return active.size();
    }

    private static Exhausted later(Exhausted a, Exhausted b) {
        return b.untilEpochSecond() > a.untilEpochSecond() ? b : a;
    }

    void beginResync() {
        staging = new ConcurrentHashMap<>();
    }

    void completeResync() {
        if (staging != null) {
            active = staging;
            staging = null;
        }
    }

    void abandonResync() {
        staging = null;
    }

    void purge(long nowEpochSecond) {
        active.values().removeIf(e -> e.untilEpochSecond() <= nowEpochSecond);
    }

    /** A bucket and what refuses it: one {@code quota} event. */
    record Entry(String bucket, Exhausted exhausted) {
    }

    /**
     * Parses the data of an {@code event: quota}: {@code {"kind":"sub"|"client","value":…,"policy":"day",
     * "limit":100,"until":<epoch seconds>}}; other members are ignored. {@link IllegalArgumentException} if it is
     * not one.
     */
    static Entry parse(String data) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(data.getBytes(StandardCharsets.UTF_8), 4);
        } catch (JwtException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String kind = switch (m.get("kind") instanceof String k ? k : "") {
            case "sub" -> "sub:";
            case "client" -> "client:";
            default -> throw new IllegalArgumentException("unknown kind");
        };
        if (!(m.get("value") instanceof String value) || value.isEmpty() || value.length() > 1024) {
            throw new IllegalArgumentException("no value");
        }
        if (!(m.get("policy") instanceof String policy) || !RateLimitStatus.NAME.matcher(policy).matches()) {
            throw new IllegalArgumentException("no policy name of [a-z0-9_-]");
        }
        if (!(m.get("limit") instanceof Long limit) || limit < 0) {
            throw new IllegalArgumentException("limit is not a non-negative integer");
        }
        long until;
        if (m.get("until") instanceof Long u) {
            until = u;
        } else if (m.get("until") instanceof BigInteger big && big.signum() > 0) {
            until = Long.MAX_VALUE / 1000;
        } else {
            throw new IllegalArgumentException("until is not an integer");
        }
        return new Entry(kind + value, new Exhausted(policy, limit, Math.min(until, Long.MAX_VALUE / 1000)));
    }
}
