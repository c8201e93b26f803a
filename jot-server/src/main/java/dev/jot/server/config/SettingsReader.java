package dev.jot.server.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where each setting's value comes from, the last one that gives it winning: its default, the config file
 * ({@code --config} or {@code JOT_CONFIG}), the environment ({@code JOT_*}), the command line. Values are trimmed;
 * a blank one counts as not given. A bad value is a {@link ConfigException} naming the setting, and the file when
 * it came from there (the file's key is the one spelling the message would not show otherwise).
 */
final class SettingsReader {

    private SettingsReader() {
    }

    /** {@code flags}: the command line's text for each setting it gives; {@code env}: {@code System.getenv()}. */
    static ServerConfig.Builder read(Map<String, String> env, Map<Setting<?>, String> flags) {
        String configText = firstGiven(flags.get(Settings.CONFIG), env.get(Settings.CONFIG.variable()));
        Path config = configText == null ? null : Settings.CONFIG.parse(configText);
        Map<Setting<?>, String> file = config == null ? Map.of() : ConfigFile.read(config);

        ServerConfig.Builder b = ServerConfig.builder();
        for (Setting<?> s : Settings.ALL) {
            if (s == Settings.CONFIG) {
                continue; // where the file is, read above; not part of the configuration
            }
            String typed = firstGiven(flags.get(s), env.get(s.variable()));
            String line = firstGiven(file.get(s));
            if (typed != null) {
                apply(b, s, typed);
            } else if (line != null) {
                try {
                    apply(b, s, line);
                } catch (ConfigException e) {
                    throw new ConfigException(e.option(), e.reason() + " (" + s.name() + " in " + config + ")");
                }
            }
        }
        return b;
    }

    private static <T> void apply(ServerConfig.Builder b, Setting<T> s, String text) {
        b.set(s, s.parse(text));
    }

    /** The first value given, trimmed; null when none is (a blank value is "not set", as an unset one). */
    private static String firstGiven(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
