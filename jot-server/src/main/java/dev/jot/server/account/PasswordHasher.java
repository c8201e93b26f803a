package dev.jot.server.account;

import dev.jot.server.config.Argon2Params;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

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
    private final Semaphore permits;

    public PasswordHasher(Argon2Params params) {
        this.params = params;
        this.permits = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() * 2), true);
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

    private byte[] argon2(String password, byte[] salt, Argon2Params p, int length) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        permits.acquireUninterruptibly();
        try {
            gen.generateBytes(pw, out);
        } finally {
            permits.release();
            java.util.Arrays.fill(pw, (byte) 0);
        }
        return out;
    }
}
