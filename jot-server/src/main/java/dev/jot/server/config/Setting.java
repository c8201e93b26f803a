package dev.jot.server.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One setting of the server, described once: everything else (the command-line options, the environment reader,
 * the config file, {@code jot serve --help}, the README's table) is derived from it. Its {@link #name()} is the key
 * in a config file; the flag is {@code --<name>} and the environment variable {@code JOT_<NAME>}, with {@code -}
 * as {@code _}:
 *
 * <pre>{@code
 * Setting.of("port", Type.integer(0, 65535)).withLabel("<PORT>").withDefault(8080)
 *         .withHelp("Port to listen on; 0 picks a free one.")   // --port, JOT_PORT, port=8080
 * }</pre>
 *
 * @param name          lower-case words joined by {@code -}: {@code refresh-token-ttl}
 * @param type          how text becomes a value, and its bounds
 * @param label         the value's placeholder in help, e.g. {@code <PORT>}
 * @param defaultValue  the value when nothing sets it; null when there is none, or it is computed
 * @param defaultText   the default as shown in help: the formatted value, or a description of a computed
 *                      default ({@code http://localhost:<port>}); empty when there is none
 * @param help          one or two sentences: what it does (the type adds its bounds)
 * @param aliases       more flags that mean the same, kept for compatibility, e.g. {@code --memory-kib}
 * @param secret        never printed: not in errors, not in {@code toString()}, no default shown
 * @param envOnly       no command-line flag (command lines are visible to other users): only the environment or
 *                      the config file can set it
 * @param commands      the {@code jot} commands that offer it as an option; every command reads every setting
 *                      from the environment and the config file
 */
public record Setting<T>(String name, Type<T> type, String label, T defaultValue, String defaultText, String help,
                         List<String> aliases, boolean secret, boolean envOnly, Set<Command> commands) {

    /** The {@code jot} commands that take settings as options. */
    public enum Command {
        /** {@code jot serve}: every setting. */
        SERVE,
        /** {@code jot admin}: where the database is. */
        ADMIN,
        /** {@code jot hash-cost}: the password hashing cost. */
        HASH_COST
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public Setting {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a setting's name is lower-case words joined by '-': " + name);
        }
        Objects.requireNonNull(type);
        Objects.requireNonNull(label);
        Objects.requireNonNull(defaultText);
        Objects.requireNonNull(help);
        aliases = List.copyOf(aliases);
        if (aliases.stream().anyMatch(a -> !a.startsWith("--")) || envOnly && !aliases.isEmpty()) {
            throw new IllegalArgumentException(name + ": aliases are flags (--x), and there are none without a flag");
        }
        commands = Set.copyOf(commands);
        if (commands.isEmpty()) {
            throw new IllegalArgumentException(name + ": used by no command");
        }
    }

    /** A setting of {@code jot serve} with no default, no help yet, and a flag. */
    public static <T> Setting<T> of(String name, Type<T> type) {
        return new Setting<>(name, type, type.label(), null, "", "", List.of(), false, false, Set.of(Command.SERVE));
    }

    // ---- refinements: each returns a new setting ----

    public Setting<T> withLabel(String newLabel) {
        return new Setting<>(name, type, newLabel, defaultValue, defaultText, help, aliases, secret, envOnly, commands);
    }

    /** The value when nothing sets it; help shows it formatted by the type. */
    public Setting<T> withDefault(T value) {
        return new Setting<>(name, type, label, value, type.format(value), help, aliases, secret, envOnly, commands);
    }

    /** A default the server works out when it starts (the value stays null), described for help. */
    public Setting<T> withComputedDefault(String description) {
        return new Setting<>(name, type, label, null, description, help, aliases, secret, envOnly, commands);
    }

    public Setting<T> withHelp(String text) {
        return new Setting<>(name, type, label, defaultValue, defaultText, text, aliases, secret, envOnly, commands);
    }

    public Setting<T> withAliases(String... flags) {
        return new Setting<>(name, type, label, defaultValue, defaultText, help, List.of(flags), secret, envOnly,
                commands);
    }

    /** Never printed. It keeps its flag; {@link #environmentOnly()} takes that away too. */
    public Setting<T> asSecret() {
        return new Setting<>(name, type, label, defaultValue, defaultText, help, aliases, true, envOnly, commands);
    }

    /** A secret without a flag: set through the environment or the config file only. */
    public Setting<T> environmentOnly() {
        return new Setting<>(name, type, label, defaultValue, defaultText, help, aliases, true, true, commands);
    }

    /** Offered as an option by {@code more} commands besides {@code jot serve}. */
    public Setting<T> alsoFor(Command... more) {
        Set<Command> all = EnumSet.copyOf(commands);
        all.addAll(List.of(more));
        return new Setting<>(name, type, label, defaultValue, defaultText, help, aliases, secret, envOnly, all);
    }

    // ---- derived ----

    /** {@code --port}. */
    public String flag() {
        return "--" + name;
    }

    /** Every flag that sets it, the main one first; none when it is {@link #envOnly()}. */
    public List<String> flags() {
        return envOnly ? List.of() : Stream.concat(Stream.of(flag()), aliases.stream()).toList();
    }

    /** {@code JOT_PORT}. */
    public String variable() {
        return "JOT_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Every spelling a user may have typed, for messages: {@code --port (JOT_PORT)}, or just the variable. */
    public String spelled() {
        if (envOnly) {
            return variable();
        }
        return String.join(", ", flags()) + " (" + variable() + ")";
    }

    /** The value {@code text} (trimmed, not blank) stands for, within bounds; a {@link ConfigException} if none. */
    public T parse(String text) {
        try {
            return type.parse(text);
        } catch (Type.Invalid e) {
            throw new ConfigException(this, e.reason(secret));
        }
    }

    /** Refuses a value set in code that is out of bounds, as {@link #parse} refuses text. */
    public void check(T value) {
        try {
            type.check().accept(value);
        } catch (Type.Invalid e) {
            throw new ConfigException(this, e.reason(secret));
        }
    }

    public boolean offeredBy(Command command) {
        return commands.contains(command);
    }

    @Override
    public String toString() {
        return "Setting[" + name + "]";
    }
}
