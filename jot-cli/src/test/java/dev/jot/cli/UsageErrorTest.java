package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Json;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit 2: the command could not run as given. Arguments use placeholders for files made in {@link #files()}. */
class UsageErrorTest {

    /** A secret that must never appear in any output (a 16-byte HMAC key: too short, so the key is refused). */
    private static final String WEAK_SECRET = "c2hvcnQtc2VjcmV0LTE2Qg";

    @TempDir
    static Path dir;

    private static final Map<String, String> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void files() {
        Jwk es256 = Jwk.generate(Algorithm.ES256, "es");
        Map<String, Object> noAlg = new LinkedHashMap<>(Jwk.generate(Algorithm.HS256, "h").toMap());
        noAlg.remove("alg");
        FILES.put("@es256", Jot.write(dir, "es256.json", es256.toJson()).toString());
        FILES.put("@public", Jot.write(dir, "public.json", es256.toPublicJwk().toJson()).toString());
        FILES.put("@noalg", Jot.write(dir, "noalg.json", Json.write(noAlg)).toString());
        FILES.put("@two", Jot.write(dir, "two.json", Jwks.of(es256, Jwk.generate(Algorithm.EdDSA, "ed")).toJson()).toString());
        FILES.put("@weak", Jot.write(dir, "weak.json", "{\"kty\":\"oct\",\"k\":\"" + WEAK_SECRET + "\"}").toString());
        FILES.put("@notjson", Jot.write(dir, "notjson.json", "{\"kty\":\"oct\",\"k\":\"" + WEAK_SECRET + "\"").toString());
        FILES.put("@claims", Jot.write(dir, "claims.json", "{}").toString());
        FILES.put("@missing", dir.resolve("missing.json").toString());
        FILES.put("@token", Jot.run("sign", "--key", FILES.get("@es256"), "--exp", "1m").out().strip());
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("", "USAGE"),
                Arguments.of("frobnicate", "USAGE"),
                Arguments.of("keygen", "USAGE"),
                Arguments.of("keygen --alg none", "USAGE"),
                Arguments.of("keygen --alg es256", "USAGE"),
                Arguments.of("sign", "USAGE"),
                Arguments.of("sign --key @missing", "USAGE"),
                Arguments.of("sign --key @es256 --exp 15x", "USAGE"),
                Arguments.of("sign --key @es256 --exp 0m", "USAGE"),
                Arguments.of("sign --key @es256 --claims {} --claims-file @claims", "USAGE"),
                Arguments.of("sign --key @es256 --claims [1]", "MALFORMED"),
                Arguments.of("sign --key @es256 --claims {\"exp\":\"soon\"}", "CLAIM_INVALID"),
                Arguments.of("sign --key @public", "INVALID_KEY"),
                Arguments.of("sign --key @two", "USAGE"),
                Arguments.of("sign --key @es256 --alg HS256", "INVALID_KEY"),
                Arguments.of("sign --key @weak", "INVALID_KEY"),
                Arguments.of("verify @token", "USAGE"),
                Arguments.of("verify --key @es256", "USAGE"),
                Arguments.of("verify --key @es256 @token @token", "USAGE"),
                Arguments.of("verify --key @es256 --alg FOO @token", "USAGE"),
                Arguments.of("verify --key @es256 --alg ES384 @token", "INVALID_KEY"),
                Arguments.of("verify --key @noalg @token", "USAGE"),
                Arguments.of("verify --key @missing @token", "USAGE"),
                Arguments.of("verify --key @weak @token", "INVALID_KEY"),
                Arguments.of("verify --key @notjson @token", "MALFORMED"),
                Arguments.of("verify --key @es256 --now soon @token", "USAGE"),
                Arguments.of("verify --key @es256 --now 99999999999999999 @token", "USAGE"),
                Arguments.of("decode", "USAGE"),
                Arguments.of("decode @token @token", "USAGE"));
    }

    @ParameterizedTest(name = "jot {0} → exit 2, {1}")
    @MethodSource("usageErrors")
    void exitsTwoWithAnErrorLineAndNothingOnStdout(String commandLine, String code) {
        Jot.Result r = Jot.run(args(commandLine));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).isNotEmpty();
        assertThat(r.errLines().getFirst()).matches("error: " + code + ": \\S.*");
        assertThat(r.err()).doesNotContain(WEAK_SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "keygen", "sign", "verify", "decode"})
    void helpIsNotAnError(String command) {
        Jot.Result r = Jot.run(args(command + " --help"));

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: jot");
        assertThat(r.err()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theTopLevelHelpListsEveryCommand() {
        Jot.Result r = Jot.run("--help");

        for (String command : List.of("serve", "keygen", "sign", "verify", "decode")) {
            assertThat(r.out()).containsPattern("(?m)^  " + command + " ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "keygen", "verify"})
    void versionIsNotAnError(String command) {
        Jot.Result r = Jot.run(args(command + " --version"));

        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).singleElement().asString().startsWith("jot ");
    }

    private static String[] args(String commandLine) {
        return List.of(commandLine.strip().split(" ")).stream()
                .filter(a -> !a.isEmpty())
                .map(a -> FILES.getOrDefault(a, a))
                .toArray(String[]::new);
    }
}
