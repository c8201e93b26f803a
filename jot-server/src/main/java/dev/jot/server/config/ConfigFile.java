package dev.jot.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional config file: a UTF-8 {@code .properties} file whose keys are the settings' names, which are the
 * option names without {@code --} ({@code port=8080}, {@code data-dir=/var/lib/jot}); secrets without a flag
 * have names too ({@code master-key=...}). A key that names no setting stops the start: a typo must not quietly
 * leave a default in place. A file holding a secret should be readable by its owner only, as {@code master.key}
 * is; it is read anyway, with a warning, as {@code master.key} is.
 */
final class ConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFile.class);

    private ConfigFile() {
    }

    /** The file's text for each setting it names (blank values included: the reader treats them as unset). */
    static Map<Setting<?>, String> read(Path file) {
        Properties p = load(file);
        Map<Setting<?>, String> values = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            Setting<?> s = Settings.named(key).filter(n -> n != Settings.CONFIG).orElseThrow(() -> unknown(file, key));
            values.put(s, p.getProperty(key));
        }
        List<String> secrets = values.keySet().stream().filter(Setting::secret).map(Setting::name).toList();
        if (!secrets.isEmpty()) {
            exposure(file).ifPresent(perms -> LOG.warn("The config file {} holds secrets ({}) and can be read by "
                    + "other users (permissions {}): chmod 600 it", file, String.join(", ", secrets), perms));
        }
        return values;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return p;
        } catch (NoSuchFileException e) {
            throw new ConfigException(Settings.CONFIG, "there is no file " + file);
        } catch (IOException e) {
            throw new ConfigException(Settings.CONFIG, "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) { // a malformed \\uXXXX escape
            throw new ConfigException(Settings.CONFIG, file + " is not a valid .properties file: " + e.getMessage());
        }
    }

    private static ConfigException unknown(Path file, String key) {
        String why = key.equals(Settings.CONFIG.name())
                ? "a config file cannot name another one ('" + key + "' in " + file + ")"
                : "unknown setting '" + key + "' in " + file
                        + " (the keys are the option names of 'jot serve --help' without '--', e.g. port=8080)";
        return new ConfigException(Settings.CONFIG, why);
    }

    /** The same rule as for {@code master.key} ({@link FilePermissions}), as a warning here. */
    private static Optional<String> exposure(Path file) {
        try {
            return FilePermissions.exposure(file);
        } catch (IOException e) {
            return Optional.empty(); // it was just read; a failure to stat it is not worth stopping for
        }
    }
}
