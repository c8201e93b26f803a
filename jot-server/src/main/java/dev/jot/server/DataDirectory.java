package dev.jot.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates the data directory if needed and proves it is writable before anything is stored there. */
final class DataDirectory {
    private DataDirectory() {
    }

    static Path prepare(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs);
            Path probe = Files.createTempFile(abs, ".write-check", ".tmp");
            Files.delete(probe);
            return abs;
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory " + abs + " (JOT_DATA_DIR) cannot be created or written: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }
}
