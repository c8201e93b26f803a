package dev.jot.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.jwt.Algorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        ServerConfig c = ServerConfig.fromEnv(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(Path.of("jot-data"));
        assertThat(c.effectiveDbUrl()).startsWith("jdbc:h2:file:").contains("jot-data").contains("MODE=PostgreSQL");
        assertThat(c.effectiveIssuer(8080)).isEqualTo("http://localhost:8080");
        assertThat(c.effectiveAudience(8080)).isEqualTo("http://localhost:8080");
        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.signingAlg()).isEqualTo(Algorithm.RS256);
        assertThat(c.argon2()).isEqualTo(new Argon2Params(19456, 2, 1));
    }

    @Test
    void everyOptionIsReadFromItsVariable() {
        ServerConfig c = ServerConfig.fromEnv(Map.ofEntries(
                Map.entry("JOT_PORT", "0"), Map.entry("JOT_BIND", "0.0.0.0"), Map.entry("JOT_DATA_DIR", "/var/lib/jot"),
                Map.entry("JOT_DB_URL", "jdbc:postgresql://db/jot"), Map.entry("JOT_DB_USER", "jot"),
                Map.entry("JOT_DB_PASSWORD", "s3cret-db-password"), Map.entry("JOT_ISSUER", "https://auth.example"),
                Map.entry("JOT_AUDIENCE", "api"), Map.entry("JOT_ACCESS_TOKEN_TTL", "90s"),
                Map.entry("JOT_SIGNING_ALG", "HS256"), Map.entry("JOT_HMAC_SECRET", "a".repeat(43)),
                Map.entry("JOT_ARGON2_MEMORY_KIB", "65536"), Map.entry("JOT_ARGON2_ITERATIONS", "3"),
                Map.entry("JOT_ARGON2_PARALLELISM", "2")));
        assertThat(c.port()).isZero();
        assertThat(c.effectiveDbUrl()).isEqualTo("jdbc:postgresql://db/jot");
        assertThat(c.effectiveIssuer(1234)).isEqualTo("https://auth.example");
        assertThat(c.effectiveAudience(1234)).isEqualTo("api");
        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.signingAlg()).isEqualTo(Algorithm.HS256);
        assertThat(c.hmacSecret()).hasSize(32);
        assertThat(c.argon2()).isEqualTo(new Argon2Params(65536, 3, 2));
        assertThat(c.toString()).doesNotContain("s3cret-db-password").doesNotContain("aaaa");
    }

    @Test
    void passwordsInTheDatabaseUrlAreMaskedWhenPrinted() {
        ServerConfig c = ServerConfig.fromEnv(Map.of("JOT_DB_URL", "jdbc:postgresql://db/jot?user=jot&password=hunter2&ssl=true"));
        assertThat(c.printableDbUrl()).isEqualTo("jdbc:postgresql://db/jot?user=jot&password=***&ssl=true");
        assertThat(c.toString()).doesNotContain("hunter2");
    }

    @Test
    void optionsLayeredOnTheEnvironmentWin() {
        ServerConfig c = ServerConfig.envBuilder(Map.of("JOT_PORT", "9000", "JOT_BIND", "0.0.0.0")).port(0).build();
        assertThat(c.port()).isZero();
        assertThat(c.bind()).isEqualTo("0.0.0.0");
    }

    @ParameterizedTest(name = "{0}={1} is refused naming {0}")
    @CsvSource(delimiter = '|', value = {
            "JOT_PORT|eighty", "JOT_PORT|70000", "JOT_ACCESS_TOKEN_TTL|15 minutes", "JOT_ACCESS_TOKEN_TTL|1s",
            "JOT_ACCESS_TOKEN_TTL|2d", "JOT_SIGNING_ALG|none", "JOT_SIGNING_ALG|RS512", "JOT_SIGNING_ALG|HS256",
            "JOT_DB_URL|jdbc:mysql://x/y", "JOT_ISSUER|ftp://x", "JOT_MASTER_KEY|c2hvcnQ",
            "JOT_MASTER_KEY|not base64!", "JOT_ARGON2_MEMORY_KIB|4", "JOT_ARGON2_ITERATIONS|0"})
    void badValuesStopTheStartNamingTheOption(String variable, String value) {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).option())
                        .isEqualTo(variable.equals("JOT_SIGNING_ALG") && value.equals("HS256") ? "JOT_HMAC_SECRET" : variable))
                .hasMessageStartingWith(variable.equals("JOT_SIGNING_ALG") && value.equals("HS256")
                        ? "JOT_HMAC_SECRET" : variable);
    }

    @ParameterizedTest
    @CsvSource({"90s,90", "15m,900", "1h,3600", "1d,86400"})
    void durationsReadAsPeopleWriteThem(String text, long seconds) {
        assertThat(Durations.parse("X", text)).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(Durations.parse("X", Durations.format(Duration.ofSeconds(seconds))).toSeconds()).isEqualTo(seconds);
    }
}
