package dev.jot.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalogue of settings: each described completely, none spelled like another, defaults within bounds. */
class SettingsTest {

    static List<Setting<?>> all() {
        return Settings.ALL;
    }

    @Test
    void noTwoSettingsShareANameAVariableOrAFlag() {
        assertThat(Settings.ALL).extracting(Setting::name).doesNotHaveDuplicates();
        assertThat(Settings.ALL).extracting(Setting::variable).doesNotHaveDuplicates();
        assertThat(Settings.ALL.stream().flatMap(s -> s.flags().stream())).doesNotHaveDuplicates();
        // Counted from the class rather than written down, so that branches adding settings do not collide here.
        List<Setting<?>> constants = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : Settings.class.getDeclaredFields()) {
            if (f.getType() == Setting.class && java.lang.reflect.Modifier.isPublic(f.getModifiers())) {
                try {
                    constants.add((Setting<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(Settings.ALL).as("every constant is listed, in order").containsExactlyElementsOf(constants)
                .startsWith(Settings.CONFIG, Settings.PORT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everySettingIsDescribedInSentencesWithADefaultWithinItsBounds(Setting<?> s) {
        assertThat(s.help()).isNotBlank().matches("[A-Zj'].*\\.");
        assertThat(s.label()).isNotBlank();
        if (s.defaultValue() != null) {
            withinBounds(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void aSecretShowsNoDefaultValueAndOnlySecretsLackAFlag(Setting<?> s) {
        if (s.secret()) {
            assertThat(s.defaultValue() == null || "".equals(s.defaultValue())).as("nothing secret to print").isTrue();
        }
        assertThat(s.flags().isEmpty()).isEqualTo(s.envOnly());
        assertThat(!s.envOnly() || s.secret()).isTrue();
    }

    @Test
    void theEnvironmentOnlySecretsAreTheKeysAndTheFirstAdmin() {
        assertThat(Settings.ALL.stream().filter(Setting::envOnly).map(Setting::variable))
                .containsExactly("JOT_HMAC_SECRET", "JOT_MASTER_KEY", "JOT_ADMIN_USERNAME", "JOT_ADMIN_PASSWORD");
        assertThat(Settings.ALL.stream().filter(Setting::secret).map(Setting::variable))
                .containsExactly("JOT_DB_PASSWORD", "JOT_HMAC_SECRET", "JOT_MASTER_KEY", "JOT_ADMIN_USERNAME",
                        "JOT_ADMIN_PASSWORD", "JOT_METRICS_TOKEN");
    }

    @Test
    void adminSharesTheDatabaseSettingsAndHashCostTheArgon2Ones() {
        Function<Setting.Command, Stream<String>> names = c -> Settings.offeredBy(c).stream().map(Setting::name);

        assertThat(names.apply(Setting.Command.ADMIN))
                .containsExactly("config", "data-dir", "db-url", "db-user", "db-password");
        assertThat(names.apply(Setting.Command.HASH_COST))
                .containsExactly("config", "argon2-memory-kib", "argon2-iterations", "argon2-parallelism");
        assertThat(Settings.offeredBy(Setting.Command.SERVE)).isEqualTo(Settings.ALL);
    }

    @Test
    void theGroupedDefaultsAreTheSettingsDefaults() {
        assertThat(Sessions.DEFAULTS).isEqualTo(new Sessions(Settings.REFRESH_TOKEN_TTL.defaultValue(),
                Settings.SESSION_LIFETIME.defaultValue(), Settings.REFRESH_REUSE_GRACE.defaultValue()));
        assertThat(Argon2Params.OWASP_BASELINE).isEqualTo(new Argon2Params(19456, 2, 1));
        ServerConfig defaults = ServerConfig.builder().build();
        assertThat(defaults.sessions()).isEqualTo(Sessions.DEFAULTS);
        assertThat(defaults.argon2()).isEqualTo(Argon2Params.OWASP_BASELINE);
        assertThat(defaults.keyRotation()).isEqualTo(Settings.KEY_ROTATION.defaultValue());
    }

    @Test
    void lookupsFindASettingByItsFileKeyOrItsVariable() {
        assertThat(Settings.named("refresh-reuse-grace")).containsSame(Settings.REFRESH_REUSE_GRACE);
        assertThat(Settings.byVariable("JOT_MASTER_KEY")).containsSame(Settings.MASTER_KEY);
        assertThat(Settings.named("memory-kib")).as("an alias is a flag, not a name").isEmpty();
    }

    private static <T> void withinBounds(Setting<T> s) {
        s.check(s.defaultValue());
        assertThat(s.defaultText()).isEqualTo(s.type().format(s.defaultValue()));
        if (!s.defaultText().isEmpty()) {
            assertThat(s.type().format(s.parse(s.defaultText()))).as("the default, as shown, reads back")
                    .isEqualTo(s.defaultText());
        }
    }
}
