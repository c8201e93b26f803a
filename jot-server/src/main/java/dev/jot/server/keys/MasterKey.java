package dev.jot.server.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts private signing keys at rest: {@code JOT_MASTER_KEY} when configured, otherwise
 * {@value #FILE_NAME} in the data directory, created on first start readable by its owner only (0400), so that
 * a copy of the database alone does not reveal the signing keys.
 */
public final class MasterKey {
    public static final String FILE_NAME = "master.key";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);

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
            exposure(file).ifPresent(perms -> LOG.warn(
                    "The master key file {} can be read by other users (permissions {}): chmod 400 it", file, perms));
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
     * The file's permissions when its group or other users have any access to it (the key decrypts every signing
     * key, so only its owner should read it, as OpenSSH insists for private keys); empty otherwise and on file
     * systems without POSIX permissions.
     */
    static Optional<String> exposure(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        boolean shared = perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
        return shared ? Optional.of(PosixFilePermissions.toString(perms)) : Optional.empty();
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
