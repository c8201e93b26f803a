package dev.jot.guard;

import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.VerifiedJwt;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
        return keyOf(token, 0);
    }

    /** The key of the token {@code source} holds from index {@code from} on (a b64token: ASCII). */
    static Key keyOf(String source, int from) {
        int slot = (int) Thread.currentThread().threadId() & (HASHERS.length() - 1);
        Hasher h = HASHERS.getAndSet(slot, null);
        if (h == null) {
            h = new Hasher(); // the slot's hasher is busy (or this is its first use): one more, kept afterwards
        }
        try {
            return h.key(source, from);
        } finally {
            HASHERS.set(slot, h);
        }
    }

    /**
     * Hashers lent to request threads without allocating: a slot per thread-id stripe. {@code MessageDigest}
     * instances are not thread-safe and {@code getInstance} costs a provider look-up and a few hundred bytes per
     * call; a {@code ThreadLocal} would be made anew by every virtual thread, which is every request on servers
     * that use them.
     */
    private static final AtomicReferenceArray<Hasher> HASHERS = new AtomicReferenceArray<>(64);

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** A SHA-256 with its own buffers: the token's bytes go in and the digest comes out without allocation. */
    private static final class Hasher {
        private final MessageDigest sha256;
        private final byte[] in = new byte[JwtVerifier.DEFAULT_MAX_TOKEN_LENGTH];
        private final byte[] out = new byte[32];

        Hasher() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) keeps each char's low byte: exact for ASCII
        Key key(String source, int from) {
            int n = source.length() - from;
            byte[] bytes = n <= in.length ? in : new byte[n];
            // A b64token is ASCII, so the low bytes are the token's bytes; this form copies without allocating, and
            // is an array copy for the JDK's one-byte-per-char strings rather than a loop of charAt.
            source.getBytes(from, source.length(), bytes, 0);
            sha256.update(bytes, 0, n);
            try {
                sha256.digest(out, 0, out.length);
            } catch (DigestException e) {
                throw new IllegalStateException("a 32-byte buffer holds a SHA-256 digest", e);
            }
            return new Key((long) LONGS.get(out, 0), (long) LONGS.get(out, 8), (long) LONGS.get(out, 16),
                    (long) LONGS.get(out, 24));
        }
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
