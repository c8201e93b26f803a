package dev.jot.server.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import dev.jot.server.config.FilePermissions;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that encrypts private signing keys at rest: {@code JOT_MASTER_KEY} when configured, otherwise
 * {@value #FILE_NAME} in the data directory, created on first start readable by its owner only (0400), so that
 * a copy of the database alone does not reveal the signing keys.
 */
public final class MasterKey {
    public static final String FILE_NAME = "master.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private MasterKey() {
    }

    /** Labels of the keys derived from the master key, one per purpose (the HKDF {@code info}). */
    public static final String SIGNING_KEY_ENCRYPTION = "jot signing-key encryption v2";
    public static final String SIGNING_KEY_ROW_MAC = "jot signing-key row mac v1";
    public static final String REFRESH_TOKEN_SUCCESSOR = "jot refresh-token successor v2";

    /**
     * A 256-bit key for one purpose, derived from the master key by HKDF-SHA256 (RFC 5869, no salt: the master key is
     * already uniformly random, §3.1) with {@code label} as {@code info}. The master key itself is never used to
     * encrypt or MAC anything: a key for one purpose then reveals nothing about another's.
     */
    public static SecretKey derive(SecretKey master, String label, String algorithm) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256")); // Extract: PRK = HMAC(salt = zeros, IKM)
            byte[] prk = mac.doFinal(master.getEncoded());
            mac.init(new SecretKeySpec(prk, "HmacSHA256")); // Expand, one block: T(1) = HMAC(PRK, info || 0x01)
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 1);
            return new SecretKeySpec(mac.doFinal(), algorithm);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    public static SecretKey load(byte[] configured, Path dataDir) {
        if (configured != null) {
            return new SecretKeySpec(configured, "AES");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            Optional<String> exposed = FilePermissions.exposure(file);
            if (exposed.isPresent()) {
                // It decrypts every signing key: a copy readable by other users is a leak, refused like OpenSSH does.
                throw new IllegalStateException("the master key file " + file + " can be read by other users "
                        + "(permissions " + exposed.get() + "): run 'chmod 400 " + file + "' (and consider the key "
                        + "exposed if other users could read it)");
            }
            byte[] raw = Base64.getUrlDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (raw.length != 32) {
                throw new IllegalStateException("master key file " + file + " does not hold 32 bytes");
            }
            return new SecretKeySpec(raw, "AES");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + file + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("master key file " + file + " is not base64url", e);
        }
    }

    /**
     * Writes a fresh key to a temporary file and only then publishes it under {@code file}, with a hard link, which
     * fails if the name exists: another instance starting on the same data directory sees either no file or a
     * complete one (never an empty one), and the first to publish wins for everybody.
     */
    private static void create(Path file) throws IOException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n";
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path dir = file.toAbsolutePath().getParent();
        // Created 0600 atomically (never world-readable, not even briefly), then made read-only.
        Path tmp = posix
                ? Files.createTempFile(dir, FILE_NAME + ".", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, FILE_NAME + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (posix) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                // No hard links (FAT, some network file systems): a move without REPLACE_EXISTING publishes the
                // complete file too; it checks for an existing key first, so only two instances starting in the
                // same instant on such a file system could still disagree.
                Files.move(tmp, file);
            }
        } catch (FileAlreadyExistsException e) {
            // another instance sharing the data directory won the race; use its key
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
