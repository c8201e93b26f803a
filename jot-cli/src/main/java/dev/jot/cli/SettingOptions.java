package dev.jot.cli;

import dev.jot.server.config.ConfigException;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Setting;
import dev.jot.server.config.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The server's settings as a command's options, generated from {@link Settings}: one option per setting the command
 * offers (flag and aliases, placeholder, {@code [JOT_*]} variable, help, bounds and default), and for
 * {@code jot serve} a footer listing the settings that have no flag. A mixin: a command includes the variant for
 * itself ({@code @Mixin SettingOptions.Serve settings}) and asks it for the configuration.
 */
abstract class SettingOptions implements IModelTransformer {

    /** {@code jot serve}: every setting. */
    @Command(modelTransformer = Serve.class)
    static final class Serve extends SettingOptions {
        Serve() {
            super(Setting.Command.SERVE);
        }
    }

    /** {@code jot admin}'s commands: where the database is. */
    @Command(modelTransformer = Database.class)
    static final class Database extends SettingOptions {
        Database() {
            super(Setting.Command.ADMIN);
        }
    }

    /** {@code jot hash-cost}: the password hashing cost. */
    @Command(modelTransformer = HashCost.class)
    static final class HashCost extends SettingOptions {
        HashCost() {
            super(Setting.Command.HASH_COST);
        }
    }

    /** Not a setting of the server: the {@code ./jot} launcher reads it. */
    private static final String LAUNCHER_NOTE = "JOT_JAVA_OPTS: extra JVM options for the ./jot launcher.";

    private final Setting.Command command;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private SettingOptions(Setting.Command command) {
        this.command = command;
    }

    /**
     * The configuration from the options given, over {@code environment}, over the config file; a bad value is a
     * usage error naming every spelling of the setting (exit 2).
     */
    ServerConfig config(Map<String, String> environment) {
        try {
            return ServerConfig.read(environment, given(mixee, withFlags()));
        } catch (ConfigException e) {
            String name = Settings.byVariable(e.option()).map(Setting::spelled).orElse(e.option());
            throw CliError.usage(name + ": " + e.reason());
        }
    }

    /** Adds the options (picocli calls this once, on the mixin's model, before merging it into the command's). */
    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (Setting<?> s : withFlags()) {
            spec.addOption(option(s));
        }
        if (command == Setting.Command.SERVE) {
            spec.usageMessage().footer(footer(spec.usageMessage().width()));
        }
        return spec;
    }

    private List<Setting<?>> withFlags() {
        return Settings.offeredBy(command).stream().filter(s -> !s.envOnly()).toList();
    }

    /** The text of each of {@code settings} given on the command line {@code spec} parsed; a list's joined. */
    static Map<Setting<?>, String> given(CommandSpec spec, List<Setting<?>> settings) {
        Map<Setting<?>, String> given = new HashMap<>();
        for (Setting<?> s : settings) {
            Object value = spec.findOption(s.flag()).getValue(); // null: not on this command line
            if (value instanceof List<?> values) {
                given.put(s, s.type().join(values.stream().map(String::valueOf).toList()));
            } else if (value != null) {
                given.put(s, (String) value);
            }
        }
        return given;
    }

    static OptionSpec option(Setting<?> s) {
        OptionSpec.Builder o = OptionSpec.builder(s.flags().toArray(String[]::new))
                .paramLabel(s.label())
                .description(escaped("[" + s.variable() + "] " + describe(s)));
        return switch (s.type().form()) {
            case VALUE -> o.type(String.class).build();
            // --flag alone means true; --flag=false turns off what the environment or the file turned on
            case SWITCH -> o.type(String.class).arity("0..1").fallbackValue("true").build();
            case LIST -> o.type(List.class).auxiliaryTypes(String.class).build();
        };
    }

    /** Help text, bounds, a warning for secrets, the default: the same words as the README's table. */
    static String describe(Setting<?> s) {
        List<String> parts = new ArrayList<>(List.of(s.help()));
        if (!s.type().allowed().isEmpty()) {
            parts.add(s.type().allowed());
        }
        if (s.secret() && !s.envOnly()) {
            parts.add("A secret: prefer " + s.variable() + " or the config file, as command lines are visible to "
                    + "other users.");
        }
        if (!s.defaultText().isEmpty()) {
            parts.add("Default: " + s.defaultText() + ".");
        }
        return String.join(" ", parts);
    }

    /** The settings without a flag, as a two-column table within {@code width}. */
    private static String[] footer(int width) {
        List<Setting<?>> envOnly = Settings.offeredBy(Setting.Command.SERVE).stream().filter(Setting::envOnly).toList();
        int nameWidth = envOnly.stream().mapToInt(s -> s.variable().length()).max().orElse(0) + 4;
        Help.TextTable table = Help.TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF),
                new Help.Column(nameWidth, 2, Help.Column.Overflow.SPAN),
                new Help.Column(width - nameWidth, 1, Help.Column.Overflow.WRAP));
        for (Setting<?> s : envOnly) {
            table.addRowValues(s.variable(), describe(s));
        }
        List<String> lines = new ArrayList<>(List.of("",
                "Secrets set only through the environment or the config file (never a flag):"));
        table.toString().lines().map(SettingOptions::escaped).forEach(lines::add);
        lines.add("");
        lines.add(LAUNCHER_NOTE);
        return lines.toArray(String[]::new);
    }

    /** Picocli formats help texts as format strings: a literal % must be doubled. */
    private static String escaped(String text) {
        return text.replace("%", "%%");
    }
}
