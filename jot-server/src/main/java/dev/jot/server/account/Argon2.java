package dev.jot.server.account;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import dev.jot.server.config.Argon2Params;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raw Argon2id computation (RFC 9106, version 0x13). Both implementations give the same bytes.
 *
 * <p>{@link Native} is the reference C implementation (libargon2, bundled for Linux, macOS and Windows by
 * argon2-jvm): about twice as fast here and, above all, its m KiB of working memory live outside the Java heap.
 * BouncyCastle's {@link Portable} one allocates each hash's memory as m separate 1 KiB arrays; under a login burst
 * the young collections copying them took a fifth of the CPU (see the README's load figures). The portable one
 * stays as the fallback where the native library cannot be loaded (an unsupported platform, a {@code noexec}
 * temporary directory).
 */
interface Argon2 {

    byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, Argon2Params params, int length);

    /** For logs and tests: which implementation this is. */
    String name();

    /** The native implementation if it loads and passes a known-answer test, otherwise the portable one. */
    static Argon2 best() {
        return Best.INSTANCE;
    }

    /**
     * RFC 9106 §5.3's Argon2id test vector (32 KiB, 3 passes, 4 lanes, a secret and associated data), so every
     * input of the computation is checked before an implementation is trusted with passwords.
     */
    static boolean passesKnownAnswer(Argon2 a) {
        byte[] tag = a.hash(fill(32, 1), fill(16, 2), fill(8, 3), fill(12, 4), new Argon2Params(32, 3, 4), 32);
        return HexFormat.of().formatHex(tag)
                .equals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    private static byte[] fill(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /**
     * The {@code candidate} (the native implementation) if it can be created and passes the known-answer test,
     * otherwise the portable one, with a warning saying why.
     */
    static Argon2 choose(Supplier<Argon2> candidate) {
        Logger log = LoggerFactory.getLogger(Argon2.class);
        try {
            Argon2 n = candidate.get();
            if (passesKnownAnswer(n)) {
                log.debug("Argon2id: {}", n.name());
                return n;
            }
            log.warn("Argon2id: the native libargon2 failed its known-answer test; using BouncyCastle's (slower)");
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no library for this platform, temp directory not executable), JNA errors.
            log.warn("Argon2id: the native libargon2 could not be loaded ({}); using BouncyCastle's (slower)",
                    e.toString());
        }
        return new Portable();
    }

    /** Chosen once, on first use: loading the native library costs a little and start-up needs no hash. */
    final class Best {
        static final Argon2 INSTANCE = choose(Native::new);

        private Best() {
        }
    }

    /** libargon2 through argon2-jvm (JNA). The library zeroes its working memory after each hash. */
    final class Native implements Argon2 {
        private final Argon2Advanced lib = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
        private final Portable forEmptyPasswords = new Portable();

        @Override
        public byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, Argon2Params p,
                           int length) {
            if (password.length == 0) {
                // argon2-jvm cannot pass a zero-length buffer through JNA; the empty password is hashed all the
                // same (a login with it costs a real hash, user known or not), by the portable implementation.
                return forEmptyPasswords.hash(password, salt, secret, associatedData, p, length);
            }
            return lib.rawHashAdvanced(p.iterations(), p.memoryKiB(), p.parallelism(), password, salt, secret,
                    associatedData, length, Argon2Version.V13);
        }

        @Override
        public String name() {
            return "native";
        }
    }

    /** BouncyCastle's pure-Java Argon2. */
    final class Portable implements Argon2 {
        @Override
        public byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, Argon2Params p,
                           int length) {
            Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(p.memoryKiB())
                    .withIterations(p.iterations())
                    .withParallelism(p.parallelism())
                    .withSalt(salt);
            if (secret != null) {
                b.withSecret(secret);
            }
            if (associatedData != null) {
                b.withAdditional(associatedData);
            }
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(b.build());
            byte[] out = new byte[length];
            gen.generateBytes(password, out);
            return out;
        }

        @Override
        public String name() {
            return "portable";
        }
    }
}
