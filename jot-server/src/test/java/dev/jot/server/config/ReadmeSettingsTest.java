package dev.jot.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The settings table of {@code docs/server.md} is generated from {@link Settings}: this test fails when they disagree
 * and shows the table to paste. To rewrite the page instead, run it with {@code -Djot.readme=write}:
 *
 * <pre>{@code
 * ./mvnw -B test -pl jot-server -am -Dtest=ReadmeSettingsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *        -Djot.readme=write
 * }</pre>
 */
class ReadmeSettingsTest {
    static final String BEGIN = "<!-- settings: generated from Settings.java; ReadmeSettingsTest checks it -->";
    static final String END = "<!-- settings: end -->";
    private static final Path README = Path.of("..", "docs", "server.md");

    @Test
    void theServerPageListsEverySettingAsSettingsDescribesIt() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("docs/server.md has the markers %s and %s", BEGIN, END).isNotNegative().isLessThan(end);
        String current = readme.substring(begin + BEGIN.length(), end);
        String expected = "\n" + table() + "\n";

        if ("write".equals(System.getProperty("jot.readme")) && !current.equals(expected)) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + expected + readme.substring(end),
                    StandardCharsets.UTF_8);
            current = expected;
        }

        assertThat(current).as("docs/server.md's settings table (paste the expected one between the markers, or run "
                + "this test with -Djot.readme=write)").isEqualTo(expected);
    }

    @Test
    void theTableHasOneRowPerSettingWithItsVariableAndDefault() {
        List<String> rows = table().lines().skip(2).toList();

        assertThat(rows).hasSameSizeAs(Settings.ALL);
        assertThat(rows.get(Settings.ALL.indexOf(Settings.PORT))).startsWith("| `--port` | `JOT_PORT` | `8080` | ");
        assertThat(rows.get(Settings.ALL.indexOf(Settings.MASTER_KEY)))
                .startsWith("| (none; file: `master-key`) | `JOT_MASTER_KEY` | master.key in the data directory");
        assertThat(rows.get(Settings.ALL.indexOf(Settings.REFRESH_REUSE_GRACE))).contains("| `10s` |");
    }

    /** One row per setting: option (and aliases), variable, default, what it does. */
    static String table() {
        List<String> lines = new ArrayList<>(List.of("| option | variable | default | what it does |",
                "|---|---|---|---|"));
        for (Setting<?> s : Settings.ALL) {
            lines.add("| " + String.join(" | ", option(s), code(s.variable()), defaultCell(s), what(s)) + " |");
        }
        return String.join("\n", lines);
    }

    private static String option(Setting<?> s) {
        return s.envOnly() ? "(none; file: " + code(s.name()) + ")"
                : s.flags().stream().map(ReadmeSettingsTest::code).collect(Collectors.joining(", "));
    }

    private static String defaultCell(Setting<?> s) {
        if (s.defaultText().isEmpty()) {
            return "";
        }
        return s.defaultValue() != null ? code(s.defaultText()) : escaped(s.defaultText());
    }

    private static String what(Setting<?> s) {
        List<String> parts = new ArrayList<>(List.of(s.help()));
        if (!s.type().allowed().isEmpty()) {
            parts.add(s.type().allowed());
        }
        if (s.secret()) {
            parts.add(s.envOnly() ? "Secret: the environment or the config file only." : "Secret.");
        }
        List<String> alsoIn = new ArrayList<>();
        if (s.offeredBy(Setting.Command.ADMIN)) {
            alsoIn.add("`jot admin`");
        }
        if (s.offeredBy(Setting.Command.HASH_COST)) {
            alsoIn.add("`jot hash-cost`");
        }
        if (!alsoIn.isEmpty()) {
            parts.add("Also for " + String.join(" and ", alsoIn) + ".");
        }
        return escaped(String.join(" ", parts));
    }

    private static String code(String text) {
        return "`" + text + "`";
    }

    /** Markdown: a | would end the cell, and a {@code <} could open an HTML tag. */
    private static String escaped(String text) {
        return text.replace("|", "\\|").replace("<", "\\<");
    }
}
