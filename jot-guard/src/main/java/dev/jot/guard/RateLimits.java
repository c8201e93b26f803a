package dev.jot.guard;

import dev.jot.guard.RateLimitStatus.Policy;
import dev.jot.jwt.Claims;
import dev.jot.jwt.VerifiedJwt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limits and quotas as a guard enforces them; give them to {@link Guard.Builder#rateLimits}.
 *
 * <p>A token's limits travel in its {@code jot_limits} claim, set by the issuer: {@code {"minute":600,
 * "day":100000,"month":null}} (requests; absent or null for none). The per-minute rate is enforced here, with a
 * token bucket per subject ({@code sub}), or per client for tokens that carry a {@code client_id} (an API key, a
 * machine client): it holds {@code minute} requests and refills continuously, {@code minute} per 60 s. Day and month
 * quotas are counted by the issuer from the shipped usage; when one is used up, its revocation feed says so
 * ({@code event: quota}) and the guard refuses the subject or client until the instant given (see
 * {@link QuotaBoard}). Refusals are 429 {@code quota_exceeded} with {@code Retry-After}; every answer to a token
 * with limits carries the {@code RateLimit-Policy} and {@code RateLimit} fields ({@link RateLimitStatus}).
 *
 * <pre>{@code
 * Guard guard = Guard.forIssuer(issuer).audience("orders-api")
 *         .revocations(feed)                                    // its quota events fill the board
 *         .rateLimits(RateLimits.builder().defaultPerMinute(600).build())
 *         .build();
 * }</pre>
 *
 * Enforcement is per guard instance: N instances behind a load balancer let a client through up to N times its
 * minute rate in the worst case. Buckets idle for a minute (full again) are forgotten. Thread-safe.
 */
public final class RateLimits {

    /** The claim that carries a token's limits. */
    public static final String CLAIM = "jot_limits";
    /**
     * The claim's member naming whose bucket and quotas the token counts against: {@code "sub:<subject>"} or
     * {@code "client:<client_id>"}. Without it the bucket is the {@code client_id} when there is one, else the subject.
     */
    public static final String BUCKET = "bucket";
    private static final String SUB_PREFIX = "sub:";
    private static final String CLIENT_PREFIX = "client:";
    private static final int MAX_BUCKET = 300;
    private static final long PURGE_EVERY_MILLIS = 60_000;

    private final long defaultPerMinute;
    private final boolean legacyHeaders;
    private final QuotaBoard board;
    /** Token buckets of tokens without a {@code client_id}, by subject, and of those with one, by client. */
    private final ConcurrentHashMap<String, Bucket> bySub = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> byClient = new ConcurrentHashMap<>();
    private volatile Memo memo;
    private final AtomicLong purgedAt = new AtomicLong(Long.MIN_VALUE);

    private RateLimits(Builder b) {
        this.defaultPerMinute = b.defaultPerMinute;
        this.legacyHeaders = b.legacyHeaders;
        this.board = b.board;
    }

    /** The limits the tokens carry, nothing more: no default rate, no legacy fields. */
    public static RateLimits fromTokens() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The board of used-up quotas given to the builder; null when the guard's revocation feed supplies it. */
    QuotaBoard board() {
        return board;
    }

    /** Token buckets held (for tests and metrics). */
    public int buckets() {
        return bySub.size() + byClient.size();
    }

    /** What {@link #check} decided: the status to report, and whether the request is refused. */
    record Verdict(RateLimitStatus status, boolean refused) {
    }

    /**
     * Takes one request from the token's bucket, unless its subject or client is on {@code quotas} (may be null);
     * null when the token has no limits at all.
     */
    Verdict check(VerifiedJwt jwt, QuotaBoard quotas, long nowMillis) {
        Claims claims = jwt.claims();
        long minute = -1;
        long day = -1;
        long month = -1;
        String named = null;
        if (claims.get(CLAIM) instanceof Map<?, ?> limits) {
            minute = count(limits.get(RateLimitStatus.MINUTE));
            day = count(limits.get(RateLimitStatus.DAY));
            month = count(limits.get(RateLimitStatus.MONTH));
            named = bucket(limits.get(BUCKET));
        }
        if (minute < 0) {
            minute = defaultPerMinute;
        }
        String subject = claims.get(Claims.SUBJECT) instanceof String s ? s : "";
        String client = claims.get("client_id") instanceof String c ? c : null;
        List<Policy> policies = policies(minute, day, month);
        if (quotas != null && !quotas.isEmpty()) {
            QuotaBoard.Exhausted e = quotas.find(named != null ? named : "sub:" + subject, nowMillis);
            if (e == null && named == null && client != null) {
                e = quotas.find("client:" + client, nowMillis);
            }
            if (e != null) {
                return new Verdict(exhausted(policies, e, nowMillis), true);
            }
        }
        if (minute < 0) {
            return policies.isEmpty() ? null : new Verdict(new RateLimitStatus(policies, null, 0, 0, legacyHeaders), false);
        }
        purgeIfDue(nowMillis);
        long rate = minute;
        Map<String, Bucket> map;
        String owner;
        if (named != null) { // the issuer says whose bucket: a login's client_id is the first-party client, not its owner
            boolean isClient = named.startsWith(CLIENT_PREFIX);
            map = isClient ? byClient : bySub;
            owner = named.substring(isClient ? CLIENT_PREFIX.length() : SUB_PREFIX.length());
        } else {
            map = client != null ? byClient : bySub;
            owner = client != null ? client : subject;
        }
        Bucket b = map.get(owner);
        if (b == null) {
            b = map.computeIfAbsent(owner, k -> new Bucket(rate, nowMillis));
        }
        long taken = b.take(nowMillis, rate);
        boolean refused = taken < 0;
        long remaining = refused ? 0 : taken >>> 32;
        long reset = refused ? -taken : taken & 0xffffffffL;
        return new Verdict(new RateLimitStatus(policies, policies.getFirst(), remaining, reset, legacyHeaders), refused);
    }

    /** The status of a request refused by a used-up quota: that policy (added when the token does not list it), r=0. */
    private RateLimitStatus exhausted(List<Policy> policies, QuotaBoard.Exhausted e, long nowMillis) {
        Policy used = null;
        for (Policy p : policies) {
            if (p.name().equals(e.policy())) {
                used = p;
            }
        }
        List<Policy> all = policies;
        if (used == null) {
            used = new Policy(e.policy(), e.limit(), Policy.windowOf(e.policy()));
            all = new ArrayList<>(policies);
            all.add(used);
        }
        long wait = Math.max(1, ceilDiv(e.untilEpochSecond() * 1000 - nowMillis, 1000));
        return new RateLimitStatus(all, used, 0, wait, legacyHeaders);
    }

    /** The policies of a token's limits (-1: none), minute first; the last list made is kept, as most tokens share it. */
    private List<Policy> policies(long minute, long day, long month) {
        Memo m = memo;
        if (m != null && m.minute == minute && m.day == day && m.month == month) {
            return m.policies;
        }
        List<Policy> list = new ArrayList<>(3);
        if (minute >= 0) {
            list.add(new Policy(RateLimitStatus.MINUTE, minute, 60));
        }
        if (day >= 0) {
            list.add(new Policy(RateLimitStatus.DAY, day, 86_400));
        }
        if (month >= 0) {
            list.add(new Policy(RateLimitStatus.MONTH, month, Policy.windowOf(RateLimitStatus.MONTH)));
        }
        List<Policy> policies = List.copyOf(list);
        memo = new Memo(minute, day, month, policies);
        return policies;
    }

    private record Memo(long minute, long day, long month, List<Policy> policies) {
    }

    private static long count(Object v) {
        return v instanceof Long n && n >= 0 ? Math.min(n, Integer.MAX_VALUE) : -1;
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }

    private void purgeIfDue(long nowMillis) {
        long last = purgedAt.get();
        if (nowMillis - last < PURGE_EVERY_MILLIS && last != Long.MIN_VALUE) {
            return;
        }
        if (purgedAt.compareAndSet(last, nowMillis)) {
            bySub.values().removeIf(b -> b.idleSince(nowMillis - PURGE_EVERY_MILLIS));
            byClient.values().removeIf(b -> b.idleSince(nowMillis - PURGE_EVERY_MILLIS));
        }
    }

    /** A well-formed {@link #BUCKET} value, or null (absent, not a string, too long or of an unknown kind: ignored). */
    private static String bucket(Object value) {
        if (value instanceof String b && b.length() <= MAX_BUCKET
                && ((b.startsWith(SUB_PREFIX) && b.length() > SUB_PREFIX.length())
                    || (b.startsWith(CLIENT_PREFIX) && b.length() > CLIENT_PREFIX.length()))) {
            return b;
        }
        return null;
    }

    /** A token bucket: {@code capacity} requests, refilled by {@code capacity} per minute, continuously. */
    private static final class Bucket {
        private long capacity;
        private double tokens;
        private long lastMillis;

        Bucket(long capacity, long nowMillis) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.lastMillis = nowMillis;
        }

        /**
         * Takes one: {@code remaining << 32 | secondsUntilFull} when allowed; {@code -secondsUntilOne} when refused.
         */
        synchronized long take(long nowMillis, long cap) {
            if (cap != capacity) {
                capacity = cap;
                tokens = Math.min(tokens, cap);
            }
            if (nowMillis > lastMillis) {
                tokens = Math.min(cap, tokens + (nowMillis - lastMillis) * (double) cap / 60_000);
                lastMillis = nowMillis;
            }
            if (cap == 0) {
                return -60;
            }
            if (tokens < 1) {
                return -Math.max(1, (long) Math.ceil((1 - tokens) * 60 / cap));
            }
            tokens -= 1;
            long untilFull = (long) Math.ceil((cap - tokens) * 60 / cap);
            return ((long) Math.floor(tokens) << 32) | untilFull;
        }

        synchronized boolean idleSince(long millis) {
            return lastMillis < millis;
        }
    }

    /** Settings; all optional. */
    public static final class Builder {
        private long defaultPerMinute = -1;
        private boolean legacyHeaders;
        private QuotaBoard board;

        private Builder() {
        }

        /** The rate for tokens whose {@code jot_limits} has no {@code minute}; none by default. */
        public Builder defaultPerMinute(long requests) {
            if (requests < 0 || requests > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a rate is 0 to 2^31-1 requests per minute");
            }
            this.defaultPerMinute = requests;
            return this;
        }

        /**
         * Also send {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (seconds
         * from now), for clients that know only those; off by default.
         */
        public Builder legacyHeaders(boolean on) {
            this.legacyHeaders = on;
            return this;
        }

        /**
         * The used-up quotas to enforce, when they do not come from the guard's {@link RemoteRevocations} (whose
         * board a guard built with {@link Guard.Builder#revocations} uses by default).
         */
        public Builder quotas(QuotaBoard quotas) {
            this.board = java.util.Objects.requireNonNull(quotas);
            return this;
        }

        public RateLimits build() {
            return new RateLimits(this);
        }
    }
}
