package dev.jot.server.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
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

    public static SecretKey load(byte[] configured, Path dataDir) {
        if (configured != null) {
            return new SecretKeySpec(configured, "AES");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(file);
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

    private static void create(Path file) throws IOException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n";
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                // Created 0600 atomically (never world-readable, not even briefly), then made read-only.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another instance sharing the data directory won the race; use its key
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        if (posix) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        }
    }
}
