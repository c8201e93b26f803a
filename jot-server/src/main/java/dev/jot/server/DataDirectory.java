package dev.jot.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates the data directory if needed and proves it is writable before anything is stored there. */
final class DataDirectory {
    private DataDirectory() {
    }

    /** A new data directory is owner-only (0700): it holds password hashes and the master key. */
    private static void create(Path abs) throws IOException {
        Files.createDirectories(abs.getParent());
        if (abs.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(abs);
        }
    }

    static Path prepare(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(abs)) {
                create(abs);
            }
            Path probe = Files.createTempFile(abs, ".write-check", ".tmp");
            Files.delete(probe);
            return abs;
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory " + abs + " (JOT_DATA_DIR) cannot be created or written: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }
}
