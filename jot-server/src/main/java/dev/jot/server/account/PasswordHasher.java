package dev.jot.server.account;

import dev.jot.server.config.Argon2Params;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id (RFC 9106) password hashes as PHC strings:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (standard base64, no padding, per the PHC format).
 * Concurrent hashes are limited so a login burst cannot allocate {@code memory × requests} at once.
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([0-9]{1,8}),t=([0-9]{1,3}),p=([0-9]{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Argon2Params params;
    private final Supplier<Argon2> engine;
    /**
     * Argon2 runs on its own platform threads, one per core, in arrival order. Requests are served by virtual
     * threads, and a CPU-bound hash on a virtual thread would hold one of the few carrier threads for tens of
     * milliseconds, starving every other request; here it only waits. One thread per core also bounds the
     * memory in use to cores × m (OWASP: 19 MiB each). Native code also pins a virtual thread to its carrier.
     */
    private static final ExecutorService HASHING = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("argon2-", 0).daemon(true).factory());

    /** Hashes with the native Argon2 if it loads (chosen at the first hash), otherwise the portable one. */
    public PasswordHasher(Argon2Params params) {
        this(params, Argon2::best);
    }

    PasswordHasher(Argon2Params params, Supplier<Argon2> engine) {
        this.params = params;
        this.engine = engine;
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
    public static void warmUp() {
        HASHING.execute(Argon2::best);
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
        byte[] actual = argon2(password, salt, stored, expected.length);
        boolean ok = MessageDigest.isEqual(expected, actual);
        return new Check(ok, ok && (!stored.equals(params) || expected.length != HASH_BYTES));
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
            return HASHING.submit(() -> engine.get().hash(pw, salt, null, null, p, length)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("password hashing failed", e.getCause());
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
