package dev.jot.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.config.Argon2Params;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Argon2Test {
    private static final Argon2 NATIVE = new Argon2.Native();
    private static final Argon2 PORTABLE = new Argon2.Portable();

    static Stream<Argon2> engines() {
        return Stream.of(NATIVE, PORTABLE);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void eachImplementationPassesTheRfc9106Argon2idVector(Argon2 engine) {
        assertThat(Argon2.passesKnownAnswer(engine)).as(engine.name()).isTrue();
    }

    /** The reference implementation's own test (argon2 repository, src/test.c): "password", "somesalt", 64 MiB. */
    @ParameterizedTest
    @MethodSource("engines")
    void eachImplementationVerifiesTheReferenceImplementationsPhcString(Argon2 engine) {
        PasswordHasher hasher = new PasswordHasher(Argon2Params.OWASP_BASELINE, () -> engine);
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isEqualTo(new PasswordHasher.Check(true, true));
        assertThat(hasher.verify("Password", reference).matches()).isFalse();
    }

    @Test
    void bothImplementationsGiveTheSameBytesForRandomInputs() {
        Random random = new Random(9106);
        for (int i = 0; i < 40; i++) {
            byte[] password = bytes(random, random.nextInt(0, 80));
            byte[] salt = bytes(random, random.nextInt(8, 40));
            byte[] secret = random.nextBoolean() ? bytes(random, random.nextInt(1, 33)) : null;
            byte[] ad = random.nextBoolean() ? bytes(random, random.nextInt(1, 33)) : null;
            int lanes = random.nextInt(1, 5);
            Argon2Params p = new Argon2Params(8 * lanes + random.nextInt(0, 300), random.nextInt(1, 4), lanes);
            int length = random.nextInt(4, 100);
            assertThat(NATIVE.hash(password, salt, secret, ad, p, length))
                    .as("case %d: %s, %d bytes", i, p, length)
                    .isEqualTo(PORTABLE.hash(password, salt, secret, ad, p, length));
        }
    }

    @Test
    void hashesMadeByOneImplementationVerifyWithTheOther() {
        Argon2Params small = new Argon2Params(1024, 1, 1);
        PasswordHasher nativeHasher = new PasswordHasher(small, () -> NATIVE);
        PasswordHasher portableHasher = new PasswordHasher(small, () -> PORTABLE);
        assertThat(portableHasher.verify("made natively", nativeHasher.hash("made natively")).matches()).isTrue();
        assertThat(nativeHasher.verify("made portably", portableHasher.hash("made portably")).matches()).isTrue();
    }

    /** argon2-jvm bundles libargon2 for these; elsewhere the portable fallback is the expected choice. */
    @Test
    void theNativeImplementationIsChosenWhereALibraryIsBundled() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean bundled = (os.contains("linux") || os.contains("mac") || os.contains("windows"))
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
        assertThat(Argon2.best().name()).isEqualTo(bundled ? "native" : "portable");
    }

    @Test
    void aNativeLibraryThatCannotLoadOrAnswersWronglyIsReplacedByThePortableOne() {
        Argon2 wrong = new Argon2() {
            @Override
            public byte[] hash(byte[] pw, byte[] salt, byte[] secret, byte[] ad, Argon2Params p, int length) {
                return new byte[length];
            }

            @Override
            public String name() {
                return "wrong";
            }
        };
        assertThat(Argon2.choose(() -> {
            throw new UnsatisfiedLinkError("no libargon2 here");
        }).name()).isEqualTo("portable");
        assertThat(Argon2.choose(() -> wrong).name()).isEqualTo("portable");
        assertThat(Argon2.choose(Argon2.Native::new).name()).isEqualTo("native");
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
