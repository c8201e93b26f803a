package dev.jot.guard;

import dev.jot.jwt.VerifiedJwt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tokens that already passed verification, so that a hot token costs one SHA-256 instead of one signature check
 * (~38 µs for RS256) per request.
 *
 * <p><b>What is stored.</b> The key is the SHA-256 of the token, never the token itself: a heap dump or a
 * debugger shows no usable credential. Only successful verifications are put here, so a forged token (which
 * always fails its signature check) can never enter, and one that differs from a cached token in any byte,
 * signature included, hashes to another key. Key comparison is not constant-time, which leaks nothing an attacker
 * can use: learning bits of a SHA-256 output does not help find a token that produces it.
 *
 * <p><b>Expiry.</b> An entry is used only while {@code now < exp}, strictly: the verifier's clock-skew leniency
 * is not extended to cached entries. During the skew window the verifier alone decides, on every request, and
 * nothing new is cached; so the cache never accepts a token the verifier would refuse. Tokens without {@code exp}
 * are never cached.
 *
 * <p><b>Memory bound.</b> At most {@code maxEntries} entries, plus at most one per thread racing to insert at the
 * moment the bound is reached. An entry holds a 32-byte digest, the entry record and the {@link VerifiedJwt}
 * (header, shared with the verifier's memo, and a claims map): about 1–2 KiB for an RFC 9068 access token, so
 * the default 10,000 entries stay under ~20 MiB. When full, expired entries are dropped first, then an eighth of
 * the entries in hash order; since keys are SHA-256 digests, that order is effectively random (random eviction:
 * an evicted token costs one more verification, nothing else).
 *
 * <p><b>Concurrency.</b> Reads are lock-free {@link ConcurrentHashMap} lookups; only one thread at a time
 * evicts, and others skip caching meanwhile rather than wait.
 */
final class VerifiedTokenCache {

    /** A SHA-256 digest as four longs: compact, and a record gives value equality and a well-mixed hash. */
    record Key(long a, long b, long c, long d) {
    }

    private record Entry(VerifiedJwt jwt, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<Key, Entry> entries;
    private final int maxEntries;
    private final AtomicBoolean evicting = new AtomicBoolean();

    VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("cache size must not be negative");
        }
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 16));
    }

    boolean enabled() {
        return maxEntries > 0;
    }

    static Key keyOf(String token) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        // A token reaches here only after the b64token check, so it is ASCII and this encoding is lossless.
        ByteBuffer d = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.ISO_8859_1)));
        return new Key(d.getLong(), d.getLong(), d.getLong(), d.getLong());
    }

    /** The cached token for this key while {@code now < exp}; null otherwise (an expired entry is dropped). */
    VerifiedJwt get(Key key, long nowMillis) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (nowMillis < e.expiresAtMillis()) {
            return e.jwt();
        }
        entries.remove(key, e);
        return null;
    }

    /** Caches a token that just verified, unless it has no {@code exp} or is already at or past it. */
    void put(Key key, VerifiedJwt jwt, long nowMillis) {
        if (maxEntries == 0) {
            return;
        }
        long exp = expiryMillis(jwt);
        if (nowMillis >= exp) {
            return;
        }
        if (entries.size() >= maxEntries && !makeRoom(nowMillis)) {
            return;
        }
        entries.put(key, new Entry(jwt, exp));
    }

    void remove(Key key) {
        entries.remove(key);
    }

    /** Forgets every entry: the keys they were verified with may be gone. */
    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private static long expiryMillis(VerifiedJwt jwt) {
        return jwt.claims().expiresAt().map(exp -> {
            try {
                return exp.toEpochMilli();
            } catch (ArithmeticException farFuture) {
                return Long.MAX_VALUE;
            }
        }).orElse(Long.MIN_VALUE);
    }

    /** Returns false when another thread is already evicting: the caller then simply does not cache. */
    private boolean makeRoom(long nowMillis) {
        if (!evicting.compareAndSet(false, true)) {
            return false;
        }
        try {
            entries.values().removeIf(e -> nowMillis >= e.expiresAtMillis());
            int excess = entries.size() - maxEntries + Math.max(1, maxEntries / 8);
            Iterator<Key> it = entries.keySet().iterator();
            while (excess-- > 0 && it.hasNext()) {
                it.next();
                it.remove();
            }
            return true;
        } finally {
            evicting.set(false);
        }
    }
}
