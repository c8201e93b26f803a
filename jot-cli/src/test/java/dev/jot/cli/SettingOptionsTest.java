package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.config.Setting;
import dev.jot.server.config.Settings;
import dev.jot.server.config.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The settings as options of {@code serve}, {@code admin} and {@code hash-cost}: generated help, and bad values. */
class SettingOptionsTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of(List.of("serve"), Setting.Command.SERVE),
                Arguments.of(List.of("admin", "rotate-keys"), Setting.Command.ADMIN),
                Arguments.of(List.of("admin", "grant-role"), Setting.Command.ADMIN),
                Arguments.of(List.of("hash-cost"), Setting.Command.HASH_COST));
    }

    @ParameterizedTest(name = "jot {0} --help")
    @MethodSource("commands")
    void helpListsEachSettingTheCommandOffersWithItsVariableAndDefault(List<String> command, Setting.Command c) {
        String help = help(command);

        SoftAssertions softly = new SoftAssertions();
        for (Setting<?> s : Settings.ALL) {
            boolean listed = s.offeredBy(c);
            if (s.envOnly()) {
                softly.assertThat(help.contains("  " + s.variable() + " ")).as(s.variable()).isEqualTo(listed);
            } else {
                // a value option reads --name=<X>; a switch --name[=true|false]
                softly.assertThat(help.contains(s.flag() + "=") || help.contains(s.flag() + "[=")).as(s.flag())
                        .isEqualTo(listed);
                softly.assertThat(help.contains("[" + s.variable() + "]")).as(s.variable()).isEqualTo(listed);
            }
        }
        softly.assertThat(help.lines()).as("within 80 columns").allMatch(line -> line.length() <= 80);
        softly.assertAll();
    }

    @Test
    void serveHelpShowsEachDefaultOnceInTheDescriptionOfItsOption() {
        String help = unwrapped(help(List.of("serve")));

        assertThat(help).contains("[JOT_PORT] Port to listen on; 0 picks a free one. Range: 0 to 65535. Default: 8080.",
                "[JOT_REFRESH_REUSE_GRACE] A spent refresh token", "Range: 0s to 5m. Default: 10s.",
                "[JOT_ISSUER] The iss of issued tokens. Default: http://localhost:<port>.",
                "JOT_MASTER_KEY Encrypts the private signing keys at rest. 32 bytes, base64url-encoded. "
                        + "Default: master.key in the data directory (created).",
                "[JOT_DB_PASSWORD] Database password. A secret: prefer JOT_DB_PASSWORD");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(List.of("serve", "--port", "70000"),
                        "error: USAGE: --port (JOT_PORT): must be between 0 and 65535, was 70000"),
                Arguments.of(List.of("serve", "--access-token-ttl", "15 minutes"), "error: USAGE: --access-token-ttl "
                        + "(JOT_ACCESS_TOKEN_TTL): expected a duration like 90s, 15m, 1h or 1d, was '15 minutes'"),
                Arguments.of(List.of("serve", "--signing-alg", "none"),
                        "error: USAGE: --signing-alg (JOT_SIGNING_ALG): must be one of RS256, ES256, EdDSA, HS256, "
                                + "was 'none'"),
                Arguments.of(List.of("serve", "--signing-alg", "HS256"),
                        "error: USAGE: JOT_HMAC_SECRET: HS256 needs a base64url secret of at least 32 bytes"),
                Arguments.of(List.of("serve", "--access-token-ttl", "1h", "--key-rotation", "90m"),
                        "error: USAGE: --key-rotation (JOT_KEY_ROTATION): must be at least twice "
                                + "--access-token-ttl (JOT_ACCESS_TOKEN_TTL): 2h"),
                Arguments.of(List.of("serve", "--refresh-token-ttl", "30d", "--session-lifetime", "7d"),
                        "error: USAGE: --session-lifetime (JOT_SESSION_LIFETIME): must be at least "
                                + "--refresh-token-ttl (JOT_REFRESH_TOKEN_TTL): 30d"),
                Arguments.of(List.of("serve", "--master-key"), "error: USAGE: Unknown option: '--master-key'"),
                Arguments.of(List.of("admin", "rotate-keys", "--db-url", "mysql://jot:hunter2@db/jot"),
                        "error: USAGE: --db-url (JOT_DB_URL): must start with jdbc:postgresql: or jdbc:h2:"),
                Arguments.of(List.of("hash-cost", "--argon2-parallelism", "2", "--memory-kib", "10"),
                        "error: USAGE: --argon2-memory-kib, --memory-kib (JOT_ARGON2_MEMORY_KIB): must be at least "
                                + "8 KiB per lane (16 for 2), was 10"),
                Arguments.of(List.of("serve", "--config", dir.resolve("missing.properties").toString()),
                        "error: USAGE: --config (JOT_CONFIG): there is no file " + dir.resolve("missing.properties")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueIsAUsageErrorNamingEverySpellingOfTheSetting(List<String> args, String error) {
        Jot.Result r = Jot.run(args.toArray(String[]::new));

        assertThat(r.exit()).isEqualTo(Exit.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines().getFirst()).isEqualTo(error);
        assertThat(r.err()).doesNotContain("hunter2").doesNotContain("Exception");
    }

    @Test
    void aBadValueInTheConfigFileNamesTheSettingAndTheFile() {
        Path file = Jot.write(dir, "bad.properties", "port=eighty\n");

        Jot.Result r = Jot.run("serve", "--config", file.toString());

        assertThat(r.exit()).isEqualTo(Exit.USAGE);
        assertThat(r.errLines().getFirst())
                .isEqualTo("error: USAGE: --port (JOT_PORT): expected an integer, was 'eighty' (port in " + file + ")");
    }

    @Test
    void aTypoInTheConfigFileStopsTheCommandNamingTheKey() {
        Path file = Jot.write(dir, "typo.properties", "data-dri=/var/lib/jot\n");

        for (String[] args : List.of(new String[] {"serve"}, new String[] {"admin", "rotate-keys"},
                new String[] {"hash-cost"})) {
            List<String> line = Stream.concat(Stream.of(args), Stream.of("--config", file.toString())).toList();
            Jot.Result r = Jot.run(line.toArray(String[]::new));

            assertThat(r.exit()).as("%s", line).isEqualTo(Exit.USAGE);
            assertThat(r.errLines().getFirst()).as("%s", line)
                    .startsWith("error: USAGE: --config (JOT_CONFIG): unknown setting 'data-dri' in " + file);
        }
    }

    @Test
    void adminFindsTheDatabaseWhereTheConfigFileSays() {
        Path nothing = dir.resolve("no-database-here");
        Path file = Jot.write(dir, "admin.properties", "data-dir=" + nothing + "\n");

        Jot.Result r = Jot.run("admin", "rotate-keys", "--config", file.toString());

        assertThat(r.exit()).isEqualTo(Exit.INVALID);
        assertThat(r.err()).startsWith("error: NO_DATABASE: ").contains(nothing.toString());
    }

    @Test
    void hashCostTakesTheCostFromTheConfigFileAndAFlagWinsOverIt() {
        Path file = Jot.write(dir, "cost.properties", "argon2-memory-kib=512\nargon2-iterations=3\n");

        Jot.Result r = Jot.run("hash-cost", "--config", file.toString(), "--iterations", "1", "--duration", "1s");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines().getFirst()).startsWith("Argon2id m=512 KiB, t=1, p=1 with ");
    }

    /** Kinds no setting uses yet, through picocli: a repeatable list, a switch, an enum. */
    @Test
    void listsMayBeRepeatedAndSwitchesGivenAloneOnACommandLine() {
        Setting<List<String>> apis = Setting.of("api", Type.list(Type.url(), ","));
        Setting<List<String>> scopes = Setting.of("user-scopes", Type.list(Type.text(), " "));
        Setting<Boolean> behindProxy = Setting.of("behind-proxy", Type.flag());
        Setting<Boolean> metrics = Setting.of("metrics", Type.flag());
        Setting<LogFormat> logFormat = Setting.of("log-format", Type.oneOf(LogFormat.class));
        List<Setting<?>> settings = List.of(apis, scopes, behindProxy, metrics, logFormat);
        CommandSpec spec = CommandSpec.create();
        settings.forEach(s -> spec.addOption(SettingOptions.option(s)));

        new CommandLine(spec).parseArgs("--api", "https://a.example", "--api", "https://b.example,https://c.example",
                "--user-scopes", "read write", "--behind-proxy", "--metrics=false", "--log-format", "json");
        Map<Setting<?>, String> given = SettingOptions.given(spec, settings);

        assertThat(apis.parse(given.get(apis)))
                .containsExactly("https://a.example", "https://b.example", "https://c.example");
        assertThat(scopes.parse(given.get(scopes))).containsExactly("read", "write");
        assertThat(behindProxy.parse(given.get(behindProxy))).isTrue();
        assertThat(metrics.parse(given.get(metrics))).isFalse();
        assertThat(logFormat.parse(given.get(logFormat))).isEqualTo(LogFormat.JSON);
    }

    @Test
    void anOptionNotGivenIsAbsentSoTheEnvironmentOrTheFileDecides() {
        Setting<Boolean> behindProxy = Setting.of("behind-proxy", Type.flag());
        Setting<List<String>> apis = Setting.of("api", Type.list(Type.url(), ","));
        CommandSpec spec = CommandSpec.create();
        spec.addOption(SettingOptions.option(behindProxy));
        spec.addOption(SettingOptions.option(apis));

        new CommandLine(spec).parseArgs();

        assertThat(SettingOptions.given(spec, List.of(behindProxy, apis))).isEmpty();
    }

    enum LogFormat { TEXT, JSON }

    private static String help(List<String> command) {
        List<String> args = Stream.concat(command.stream(), Stream.of("--help")).toList();
        Jot.Result r = Jot.run(args.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        return r.out();
    }

    /** Help text with its wrapping undone: every run of white space as one space. */
    private static String unwrapped(String help) {
        return help.replaceAll("\\s+", " ");
    }
}
