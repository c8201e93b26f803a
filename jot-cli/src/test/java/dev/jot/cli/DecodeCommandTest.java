package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecodeCommandTest {

    @TempDir
    Path dir;

    @Test
    void showsHeaderClaimsAndUtcTimesUnderAnUnverifiedBanner() {
        Path key = Jot.keyFile(dir, Algorithm.EdDSA, "ed-1");
        String token = Jot.run("sign", "--key", key.toString(), "--sub", "alice", "--exp", "15m",
                "--claims", "{\"nbf\":1735689600}").out().strip();

        Jot.Result r = Jot.run("decode", token);

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines().getFirst()).startsWith("UNVERIFIED:");
        assertThat(r.out())
                .contains("header:\n{\n  \"alg\": \"EdDSA\",")
                .contains("\"kid\": \"ed-1\"")
                .contains("claims:\n{\n")
                .contains("\"sub\": \"alice\"")
                .contains("\"exp\": 1735690500")
                .contains("times (UTC):\n  iat: 2025-01-01T00:00:00Z\n  nbf: 2025-01-01T00:00:00Z\n  exp: 2025-01-01T00:15:00Z\n");
    }

    static Stream<Arguments> oddPayloads() {
        return Stream.of(
                Arguments.of("{\"exp\":1735690500.25}", "  exp: 2025-01-01T00:15:00.250Z"),
                Arguments.of("{\"exp\":\"tomorrow\"}", "  exp: not a NumericDate: \"tomorrow\""),
                Arguments.of("{\"iat\":1e400}", "  iat: not a NumericDate: "),
                Arguments.of("hello, world", "payload (not a JSON object):\nhello, world"));
    }

    @ParameterizedTest
    @MethodSource("oddPayloads")
    void showsWhatATokenSaysEvenWhenNoVerifierWouldAcceptIt(String payload, String expected) {
        Jot.Result r = Jot.run("decode", b64("{\"alg\":\"none\"}") + "." + b64(payload) + "." + b64("sig"));

        assertThat(r.exit()).isZero();
        assertThat(r.outLines().getFirst()).startsWith("UNVERIFIED:");
        assertThat(r.out()).contains(expected);
    }

    @Test
    void readsTheTokenFromStdin() {
        String token = b64("{\"alg\":\"HS256\"}") + "." + b64("{\"sub\":\"bob\"}") + "." + b64("sig");

        Jot.Result r = Jot.runWithStdin(token + "\n", "decode", "-");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"sub\": \"bob\"").doesNotContain("times (UTC)");
    }

    @Test
    void aMalformedTokenExitsOne() {
        Jot.Result r = Jot.run("decode", "only.two");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().startsWith("error: MALFORMED: ");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
