package dev.jot.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of setting the model supports, including those that issues to come will need (lists, enums, switches,
 * secrets without a flag): what each reads, what each refuses and why, and how it appears on a command line.
 */
class SettingKindsTest {

    /** Examples of settings to come; they are not in {@link Settings}. */
    enum Registration { OPEN, CLOSED }

    enum LogFormat { TEXT, JSON }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("text", Type.text(), "127.0.0.1", "127.0.0.1"),
                Arguments.of("url", Type.url(), "https://auth.example", "https://auth.example"),
                Arguments.of("integer", Type.integer(0, 65535), "8080", 8080),
                Arguments.of("integer at its bound", Type.integer(0, 65535), "65535", 65535),
                Arguments.of("duration", Type.duration(Duration.ofSeconds(10), Duration.ofHours(24)), "90s",
                        Duration.ofSeconds(90)),
                Arguments.of("zero duration", Type.duration(Duration.ZERO, Duration.ofMinutes(5)), "0s", Duration.ZERO),
                Arguments.of("path", Type.path(), "/var/lib/jot", Path.of("/var/lib/jot")),
                Arguments.of("enum", Type.oneOf(Registration.class), "closed", Registration.CLOSED),
                Arguments.of("enum", Type.oneOf(LogFormat.class), "json", LogFormat.JSON),
                Arguments.of("switch", Type.flag(), "true", true),
                Arguments.of("switch", Type.flag(), "FALSE", false),
                Arguments.of("comma list", Type.list(Type.url(), ","), "https://a.example , https://b.example",
                        List.of("https://a.example", "https://b.example")),
                Arguments.of("one-item list", Type.list(Type.text(), ","), "10.0.0.0/8", List.of("10.0.0.0/8")),
                Arguments.of("space list", Type.list(Type.text(), " "), "read  write\tadmin",
                        List.of("read", "write", "admin")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("accepted")
    void eachKindReadsWhatPeopleWrite(String kind, Type<?> type, String text, Object expected) {
        assertThat(type.parse(text)).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        Type<Duration> ttl = Type.duration(Duration.ofSeconds(10), Duration.ofHours(24));
        return Stream.of(
                Arguments.of(Type.url(), "ftp://auth.example", "must be an http(s) URL without query or fragment"),
                Arguments.of(Type.url(), "https://auth.example/?x=1", "must be an http(s) URL without query or fragment"),
                Arguments.of(Type.url(), "https://auth example", "is not a valid URL"),
                Arguments.of(Type.integer(0, 65535), "eighty", "expected an integer, was 'eighty'"),
                Arguments.of(Type.integer(0, 65535), "70000", "must be between 0 and 65535, was 70000"),
                Arguments.of(Type.integer(8, 64, "KiB"), "4", "must be between 8 and 64 KiB, was 4"),
                Arguments.of(ttl, "15 minutes", "expected a duration like 90s, 15m, 1h or 1d, was '15 minutes'"),
                Arguments.of(ttl, "2d", "must be between 10s and 1d, was 2d"),
                Arguments.of(ttl, "1s", "must be between 10s and 1d, was 1s"),
                Arguments.of(Type.path(), "nul\0byte", "is not a valid path, was 'nul\0byte'"),
                Arguments.of(Type.oneOf(Registration.class), "OPEN", "must be one of open, closed, was 'OPEN'"),
                Arguments.of(Type.flag(), "yes", "expected true or false, was 'yes'"),
                Arguments.of(Type.list(Type.url(), ","), "https://a.example,,https://b.example",
                        "has an empty item, was 'https://a.example,,https://b.example'"),
                Arguments.of(Type.list(Type.url(), ","), "https://a.example,ftp://b.example",
                        "must be an http(s) URL without query or fragment"),
                Arguments.of(Type.base64url(32, 32), "not base64!", "is not valid base64url"),
                Arguments.of(Type.base64url(32, 32), "c2hvcnQ", "must be 32 bytes, base64url-encoded"),
                Arguments.of(Type.base64url(32, Integer.MAX_VALUE), "c2hvcnQ",
                        "must be at least 32 bytes, base64url-encoded"),
                Arguments.of(Type.text().where(s -> s.startsWith("jdbc:"), "must start with jdbc:"), "mysql://x",
                        "must start with jdbc:"));
    }

    @ParameterizedTest(name = "{1} → {2}")
    @MethodSource("refused")
    void eachKindRefusesWithAReason(Type<?> type, String text, String reason) {
        Setting<?> setting = Setting.of("example", type);

        assertThatThrownBy(() -> setting.parse(text)).isInstanceOf(ConfigException.class)
                .hasMessage("JOT_EXAMPLE: " + reason)
                .satisfies(e -> assertThat(((ConfigException) e).reason()).isEqualTo(reason));
    }

    @Test
    void aValueSetInCodeIsHeldToTheSameBoundsAsText() {
        Setting<Duration> grace = Setting.of("grace", Type.duration(Duration.ZERO, Duration.ofMinutes(5)));

        assertThatThrownBy(() -> grace.check(Duration.ofMinutes(6))).isInstanceOf(ConfigException.class)
                .hasMessage("JOT_GRACE: must be between 0s and 5m, was 6m");
        assertThatThrownBy(() -> grace.check(Duration.ofSeconds(-1))).isInstanceOf(ConfigException.class);
    }

    @Test
    void aSecretIsNeverRepeatedInAnError() {
        Setting<Integer> pin = Setting.of("pin", Type.integer(0, 9999)).asSecret();
        Setting<List<String>> keys = Setting.of("keys", Type.list(Type.text()
                .where(k -> k.length() > 8, "must be longer than 8 characters"), ",")).environmentOnly();

        assertThatThrownBy(() -> pin.parse("12345")).hasMessage("JOT_PIN: must be between 0 and 9999")
                .hasMessageNotContaining("12345");
        assertThatThrownBy(() -> pin.parse("hunter2")).hasMessage("JOT_PIN: expected an integer");
        assertThatThrownBy(() -> keys.parse("long-enough-key,,short")).hasMessage("JOT_KEYS: has an empty item");
    }

    @Test
    void aSettingIsSpelledAsAFlagAVariableAndAFileKeyDerivedFromItsName() {
        Setting<Integer> memory = Setting.of("argon2-memory-kib", Type.integer(8, 64)).withAliases("--memory-kib");

        assertThat(memory.flag()).isEqualTo("--argon2-memory-kib");
        assertThat(memory.flags()).containsExactly("--argon2-memory-kib", "--memory-kib");
        assertThat(memory.variable()).isEqualTo("JOT_ARGON2_MEMORY_KIB");
        assertThat(memory.spelled()).isEqualTo("--argon2-memory-kib, --memory-kib (JOT_ARGON2_MEMORY_KIB)");
    }

    @Test
    void anEnvironmentOnlySecretHasNoFlagAndIsSpelledAsItsVariable() {
        Setting<String> password = Setting.of("admin-password", Type.text()).environmentOnly();

        assertThat(password.flags()).isEmpty();
        assertThat(password.secret()).isTrue();
        assertThat(password.spelled()).isEqualTo("JOT_ADMIN_PASSWORD");
    }

    @Test
    void aRepeatedFlagIsJoinedWithItsListsSeparatorAndReadAsOneValue() {
        Type<List<String>> apis = Type.list(Type.url(), ",");
        Type<List<String>> scopes = Type.list(Type.text(), " ");

        assertThat(apis.parse(apis.join(List.of("https://a.example", "https://b.example,https://c.example"))))
                .containsExactly("https://a.example", "https://b.example", "https://c.example");
        assertThat(scopes.parse(scopes.join(List.of("read", "write admin")))).containsExactly("read", "write", "admin");
        assertThat(Type.integer(0, 9).join(List.of("1", "2"))).as("a value given twice: the last").isEqualTo("2");
    }

    @Test
    void eachKindTellsTheCommandLineHowItIsGiven() {
        assertThat(Type.flag().form()).isEqualTo(Type.Form.SWITCH);
        assertThat(Type.list(Type.text(), ",").form()).isEqualTo(Type.Form.LIST);
        assertThat(Stream.of(Type.text(), Type.url(), Type.integer(0, 1), Type.path(), Type.oneOf(LogFormat.class),
                Type.duration(Duration.ZERO, Duration.ofDays(1)), Type.base64url(1, 1)).map(Type::form))
                .containsOnly(Type.Form.VALUE);
    }

    @Test
    void defaultsAreShownAsPeopleWouldWriteThem() {
        assertThat(Setting.of("a", Type.path()).withDefault(Path.of("jot-data")).defaultText()).isEqualTo("./jot-data");
        assertThat(Setting.of("b", Type.path()).withDefault(Path.of("/srv/jot")).defaultText()).isEqualTo("/srv/jot");
        assertThat(Setting.of("c", Type.duration(Duration.ZERO, Duration.ofDays(1))).withDefault(Duration.ZERO)
                .defaultText()).isEqualTo("0s");
        assertThat(Setting.of("d", Type.list(Type.text(), ",")).withDefault(List.of("x", "y")).defaultText())
                .isEqualTo("x, y");
        assertThat(Setting.of("e", Type.oneOf(LogFormat.class)).withDefault(LogFormat.TEXT).defaultText())
                .isEqualTo("text");
    }

    @Test
    void namesAreLowerCaseWordsJoinedByDashes() {
        assertThatThrownBy(() -> Setting.of("Port", Type.text())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Setting.of("db_url", Type.text())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Setting.of("x", Type.text()).withAliases("-x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
