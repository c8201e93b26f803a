package dev.jot.server.account;

import dev.jot.server.config.Argon2Params;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id (RFC 9106) password hashes as PHC strings:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (standard base64, no padding, per the PHC format).
 * Hashes run in {@link HashingSlots}, so a login burst cannot allocate {@code memory × requests} at once nor queue
 * without bound.
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([0-9]{1,8}),t=([0-9]{1,3}),p=([0-9]{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Argon2Params params;
    private final Supplier<Argon2> engine;
    private final HashingSlots slots;
    /** Whether the client of the calling request is still waiting (asked when its hash's turn comes). */
    private final Supplier<BooleanSupplier> presence;
    /** Nanoseconds a hash at the current parameters took lately (a moving average; 0 until measured). */
    private final AtomicLong currentCostNanos = new AtomicLong();

    /** Hashes with the native Argon2 if it loads (chosen at the first hash), otherwise the portable one. */
    public PasswordHasher(Argon2Params params) {
        this(params, Argon2::best, HashingSlots.standalone(), () -> () -> true);
    }

    PasswordHasher(Argon2Params params, Supplier<Argon2> engine) {
        this(params, engine, HashingSlots.standalone(), () -> () -> true);
    }

    /**
     * The server's hasher: hashes run in {@code slots}; {@code presence} tells, on the request's thread, how to ask
     * later whether its client is still there.
     */
    public PasswordHasher(Argon2Params params, HashingSlots slots, Supplier<BooleanSupplier> presence) {
        this(params, Argon2::best, slots, presence);
    }

    private PasswordHasher(Argon2Params params, Supplier<Argon2> engine, HashingSlots slots,
                           Supplier<BooleanSupplier> presence) {
        this.params = params;
        this.engine = engine;
        this.slots = slots;
        this.presence = presence;
    }

    /** Stops the hashing threads (the server's own slots; the shared standalone ones are left alone). */
    public void close() {
        if (slots != HashingSlots.standalone()) {
            slots.close();
        }
    }

    /** The admission control this hasher runs in. */
    public HashingSlots slots() {
        return slots;
    }

    /** Which Argon2 implementation hashes here, for people tuning the parameters ({@code jot hash-cost}). */
    public static String implementation() {
        return Argon2.best() instanceof Argon2.Native
                ? "libargon2 (native)"
                : "BouncyCastle (portable; libargon2 did not load)";
    }

    /**
     * Loads the Argon2 implementation on a hashing thread now, so the first login does not wait for it. Called
     * once the server listens: start-up needs no hash.
     */
    public void warmUp() {
        slots.warmUp(Argon2::best);
    }

    /** The outcome of a check: whether it matched, and whether the stored hash should be replaced. */
    public record Check(boolean matches, boolean needsRehash) {
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return phc(salt, argon2(password, salt, params, HASH_BYTES));
    }

    /**
     * A well-formed hash with the current parameters that no password matches (its digest is random, not
     * derived): verifying against it costs exactly one real Argon2 run, as for a known user, at no start-up cost.
     */
    public String unmatchableHash() {
        byte[] salt = new byte[SALT_BYTES];
        byte[] digest = new byte[HASH_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(digest);
        return phc(salt, digest);
    }

    private String phc(byte[] salt, byte[] digest) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(digest);
    }

    /** Checks a password in constant time with respect to the hash; an unparseable stored hash never matches. */
    public Check verify(String password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return new Check(false, false);
        }
        Argon2Params stored;
        try {
            stored = new Argon2Params(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (RuntimeException e) {
            return new Check(false, false);
        }
        byte[] salt = Base64.getDecoder().decode(m.group(4));
        byte[] expected = Base64.getDecoder().decode(m.group(5));
        long started = System.nanoTime();
        byte[] actual = argon2(password, salt, stored, expected.length);
        boolean ok = MessageDigest.isEqual(expected, actual);
        boolean older = !stored.equals(params) || expected.length != HASH_BYTES;
        if (!ok && older) {
            padToCurrentCost(started);
        }
        return new Check(ok, ok && older);
    }

    /**
     * A failed check against a hash made with other parameters takes as long as one hash at the current ones: else
     * raising the cost would make known users (old, cheap hashes) answer faster than unknown ones (the dummy hash is
     * always current), telling an attacker which names exist. The wait sleeps (no CPU, no slot held) until the
     * current cost has elapsed since the check began; a hash with dearer parameters than now (the cost was lowered)
     * is not shortened — lowering the cost is rare and says so in the README.
     */
    private void padToCurrentCost(long startedNanos) {
        long cost = currentCostNanos.get();
        if (cost == 0) {
            verify("", unmatchableHash()); // measures it
            cost = currentCostNanos.get();
        }
        long remaining = cost - (System.nanoTime() - startedNanos);
        if (remaining > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    /** The recent cost of one hash at the current parameters, as measured here (zero until one ran). */
    public Duration currentCost() {
        return Duration.ofNanos(currentCostNanos.get());
    }

    /**
     * Hashes the password's UTF-8 bytes after Unicode normalisation form C, as RFC 8265's OpaqueString profile
     * (§4.2) prescribes and RFC 7617 §2.1 expects of Basic credentials: "é" typed as one character or as "e" plus a
     * combining accent is the same password, whichever keyboard, client or transport it came through.
     */
    private byte[] argon2(String password, byte[] salt, Argon2Params p, int length) {
        byte[] pw = Normalizer.normalize(password, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
        try {
            // The m KiB of Argon2 memory are allocated on the hashing threads too: requests waiting in the queue
            // hold nothing.
            return slots.run(() -> {
                long t0 = System.nanoTime();
                byte[] out = engine.get().hash(pw, salt, null, null, p, length);
                if (p.equals(params)) {
                    long took = System.nanoTime() - t0;
                    currentCostNanos.updateAndGet(avg -> avg == 0 ? took : (avg * 7 + took) / 8);
                }
                return out;
            }, presence.get());
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
