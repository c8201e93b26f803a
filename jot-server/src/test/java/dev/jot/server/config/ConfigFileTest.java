package dev.jot.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The config file ({@code --config}, {@code JOT_CONFIG}) and where it stands: default < file < environment < flags. */
class ConfigFileTest {

    /** 32 bytes, base64url. */
    private static final String KEY = "a".repeat(43);

    @TempDir
    Path dir;

    @Test
    void theFileSetsSettingsByTheirNames() throws IOException {
        Path file = write("jot.properties", """
                # comments and blank lines are fine

                port = 9000
                data-dir=/var/lib/jot
                refresh-reuse-grace=0s
                argon2-memory-kib=65536
                master-key=%s
                """.formatted(KEY));

        ServerConfig c = ServerConfig.fromEnv(Map.of("JOT_CONFIG", file.toString()));

        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/jot"));
        assertThat(c.sessions().reuseGrace()).isZero();
        assertThat(c.argon2().memoryKiB()).isEqualTo(65536);
        assertThat(c.masterKey()).as("a secret without a flag may live in the file").hasSize(32);
    }

    @ParameterizedTest(name = "file {0}, environment {1}, flag {2} → {3}")
    @CsvSource(nullValues = "-", value = {
            "-,    -,    -,    8080",
            "9001, -,    -,    9001",
            "9001, 9002, -,    9002",
            "9001, 9002, 9003, 9003",
            "-,    -,    9003, 9003",
            "9001, '  ', -,    9001",
    })
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault(String file, String env,
                                                                                 String flag, int port) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("JOT_CONFIG", write("jot.properties", file == null ? "" : "port=" + file).toString());
        if (env != null) {
            environment.put("JOT_PORT", env);
        }
        Map<Setting<?>, String> flags = flag == null ? Map.of() : Map.of(Settings.PORT, flag);

        assertThat(ServerConfig.read(environment, flags).port()).isEqualTo(port);
    }

    @Test
    void theConfigFlagWinsOverTheConfigVariable() throws IOException {
        Path byVariable = write("a.properties", "port=9001");
        Path byFlag = write("b.properties", "port=9002");

        ServerConfig c = ServerConfig.read(Map.of("JOT_CONFIG", byVariable.toString()),
                Map.of(Settings.CONFIG, byFlag.toString()));

        assertThat(c.port()).isEqualTo(9002);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "prot=9000|unknown setting 'prot' in ",
            "memory-kib=1024|unknown setting 'memory-kib' in ",
            "JOT_PORT=9000|unknown setting 'JOT_PORT' in ",
            "config=other.properties|a config file cannot name another one",
    })
    void aKeyThatNamesNoSettingStopsTheStartNamingTheKey(String line, String reason) throws IOException {
        Path file = write("jot.properties", "port=9000\n" + line + "\n");

        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("JOT_CONFIG", file.toString())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).option()).isEqualTo("JOT_CONFIG"))
                .hasMessageContaining(reason).hasMessageContaining(file.toString());
    }

    @Test
    void aBadValueInTheFileNamesTheSettingAndWhereItWasWritten() throws IOException {
        Path file = write("jot.properties", "port=eighty");

        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("JOT_CONFIG", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("JOT_PORT: expected an integer, was 'eighty' (port in " + file + ")");
    }

    @Test
    void aBadSecretInTheFileIsNotRepeated() throws IOException {
        Path file = write("jot.properties", "master-key=c2hvcnQtc2VjcmV0");

        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("JOT_CONFIG", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("JOT_MASTER_KEY: must be 32 bytes, base64url-encoded (master-key in " + file + ")")
                .hasMessageNotContaining("c2hvcnQtc2VjcmV0");
    }

    @Test
    void aMissingFileStopsTheStart() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("JOT_CONFIG", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("JOT_CONFIG: there is no file " + missing);
    }

    @Test
    void aFileWithSecretsThatOthersCanReadIsReadWithAWarningNamingTheSecretsNotTheirValues() throws IOException {
        Path shared = write("shared.properties", "db-password=hunter2\nport=9000\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Path own = write("own.properties", "db-password=hunter2\n");
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
        Path plain = write("plain.properties", "port=9000\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));

        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigFile.class);
        log.start();
        logger.addAppender(log);
        try {
            assertThat(ServerConfig.fromEnv(Map.of("JOT_CONFIG", shared.toString())).dbPassword()).isEqualTo("hunter2");
            ServerConfig.fromEnv(Map.of("JOT_CONFIG", own.toString()));
            ServerConfig.fromEnv(Map.of("JOT_CONFIG", plain.toString()));
        } finally {
            logger.detachAppender(log);
        }

        assertThat(log.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains(shared.toString(), "db-password", "rw-r--r--", "chmod 600").doesNotContain("hunter2");
    }

    @Test
    void aBlankLineInTheFileKeepsTheDefault() throws IOException {
        Path file = write("jot.properties", "access-token-ttl=\nbind=   \n");

        ServerConfig c = ServerConfig.fromEnv(Map.of("JOT_CONFIG", file.toString()));

        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.bind()).isEqualTo("127.0.0.1");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
