package dev.jot.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule for files that hold secrets (the master key, a config file with secrets, the database): readable by
 * their owner only, as OpenSSH insists for private keys. File systems without POSIX permissions are taken as they
 * are.
 */
public final class FilePermissions {
    private FilePermissions() {
    }

    /**
     * The file's permissions when its group or other users have any access to it; empty otherwise and on file
     * systems without POSIX permissions.
     */
    public static Optional<String> exposure(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        boolean shared = perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
        return shared ? Optional.of(PosixFilePermissions.toString(perms)) : Optional.empty();
    }

    /** Takes group and other users' access away from {@code file} (its owner keeps what it has). */
    public static void restrictToOwner(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix") || !Files.exists(file)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        perms.removeIf(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
        Files.setPosixFilePermissions(file, perms);
    }
}
