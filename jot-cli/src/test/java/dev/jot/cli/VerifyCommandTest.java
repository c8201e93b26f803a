package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VerifyCommandTest {

    private static final long NOW = Jot.NOW.getEpochSecond();
    private static final long EXP = NOW + 15 * 60;

    @TempDir
    static Path dir;

    /** The key file every case verifies with, and tokens made for the cases. */
    record Fixture(String key, String valid, String otherKeySameKid, String otherKid, String noExp, String notBefore,
                   String noIss) {
    }

    private static Fixture f;

    @BeforeAll
    static void makeKeysAndTokens() throws IOException {
        String key = Jot.keyFile(dir, Algorithm.ES256, "k1").toString();
        String impostor = Jot.keyFile(Files.createDirectory(dir.resolve("impostor")), Algorithm.ES256, "k1").toString();
        String stranger = Jot.keyFile(dir, Algorithm.ES256, "k2").toString();
        f = new Fixture(
                key,
                sign(key, "--exp", "15m", "--iss", "https://auth.example", "--aud", "orders", "--sub", "alice"),
                sign(impostor, "--exp", "15m"),
                sign(stranger, "--exp", "15m"),
                sign(key),
                sign(key, "--exp", "2h", "--claims", "{\"nbf\":" + (NOW + 3600) + "}"),
                sign(key, "--exp", "15m"));
    }

    private static String sign(String key, String... more) {
        List<String> args = new ArrayList<>(List.of("sign", "--key", key));
        args.addAll(List.of(more));
        Jot.Result r = Jot.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    /** One invalid-token case: the arguments after {@code verify --key <key>}, and the code it must fail with. */
    record Invalid(Function<Fixture, List<String>> args, String code) {
    }

    static Stream<Named<Invalid>> invalidTokens() {
        return Stream.of(
                Named.of("payload changed after signing", new Invalid(x -> List.of(withPayload(x.valid(), "{\"sub\":\"root\",\"exp\":" + EXP + "}")), "BAD_SIGNATURE")),
                Named.of("signature bytes changed", new Invalid(x -> List.of(flipSignatureChar(x.valid())), "BAD_SIGNATURE")),
                Named.of("signed by another key with the same kid", new Invalid(x -> List.of(x.otherKeySameKid()), "BAD_SIGNATURE")),
                Named.of("signed by a key with an unknown kid", new Invalid(x -> List.of(x.otherKid()), "KEY_NOT_FOUND")),
                Named.of("expired beyond the 60 s skew (--now)", new Invalid(x -> List.of("--now", Long.toString(EXP + 61), x.valid()), "EXPIRED")),
                Named.of("not yet valid (nbf in an hour)", new Invalid(x -> List.of(x.notBefore()), "NOT_YET_VALID")),
                Named.of("wrong --iss", new Invalid(x -> List.of("--iss", "https://evil.example", x.valid()), "CLAIM_INVALID")),
                Named.of("wrong --aud", new Invalid(x -> List.of("--aud", "billing", x.valid()), "CLAIM_INVALID")),
                Named.of("--iss required but token has none", new Invalid(x -> List.of("--iss", "https://auth.example", x.noIss()), "CLAIM_MISSING")),
                Named.of("no exp", new Invalid(x -> List.of(x.noExp()), "CLAIM_MISSING")),
                Named.of("alg none", new Invalid(x -> List.of(unsecured()), "UNSUPPORTED_ALGORITHM")),
                Named.of("not a JWS", new Invalid(x -> List.of("not-a-token"), "MALFORMED")));
    }

    @ParameterizedTest
    @MethodSource("invalidTokens")
    void anInvalidTokenExitsOneWithOneErrorLine(Invalid c) {
        List<String> args = new ArrayList<>(List.of("verify", "--key", f.key()));
        args.addAll(c.args().apply(f));

        Jot.Result r = Jot.run(args.toArray(String[]::new));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().matches("error: " + c.code() + ": \\S.*");
    }

    @Test
    void aValidTokenPrintsItsClaimsAsOneJsonLine() {
        Jot.Result r = Jot.run("verify", "--key", f.key(), "--iss", "https://auth.example", "--aud", "orders", f.valid());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).hasSize(1);
        assertThat(r.json()).containsEntry("sub", "alice").containsEntry("exp", EXP);
    }

    @Test
    void nowWithinTheSkewAfterExpIsStillValid() {
        Jot.Result r = Jot.run("verify", "--key", f.key(), "--now", Long.toString(EXP + 59), f.valid());

        assertThat(r.exit()).isZero();
    }

    @Test
    void stdinModePrintsOneVerdictPerLineAndExitsOneWhenAnyIsInvalid() {
        String stdin = String.join("\n", f.valid(), flipSignatureChar(f.valid()), "", "garbage", f.valid() + "\r", f.noExp()) + "\n";

        Jot.Result r = Jot.runWithStdin(stdin, "verify", "--key", f.key(), "-");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        List<Map<String, Object>> verdicts = r.outLines().stream().map(Json::parseObject).toList();
        assertThat(verdicts).extracting(v -> v.get("valid")).containsExactly(true, false, false, false, true, false);
        assertThat(verdicts).extracting(v -> v.get("code"))
                .containsExactly(null, "BAD_SIGNATURE", "MALFORMED", "MALFORMED", null, "CLAIM_MISSING");
        assertThat(verdicts.get(0).keySet()).containsExactly("valid", "claims");
        assertThat(verdicts.get(0).get("claims")).isEqualTo(Json.parseObject(
                Jot.run("verify", "--key", f.key(), f.valid()).out()));
        assertThat(verdicts.get(1).keySet()).containsExactly("valid", "code", "message");
        assertThat(verdicts.get(1).get("message")).asString().isNotBlank();
    }

    @Test
    void stdinModeExitsZeroWhenEveryTokenIsValid() {
        Jot.Result r = Jot.runWithStdin(f.valid() + "\n" + f.valid() + "\n", "verify", "--key", f.key(), "-");

        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"valid\":true,\"claims\":{"));
    }

    @Test
    void stdinModeHonoursTheSamePolicyFlags() {
        Jot.Result r = Jot.runWithStdin(f.valid() + "\n", "verify", "--key", f.key(), "--now", Long.toString(EXP + 61), "-");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(Json.parseObject(r.out())).containsEntry("valid", false).containsEntry("code", "EXPIRED");
    }

    private static String withPayload(String token, String json) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(json) + "." + parts[2];
    }

    /** Changes one character in the middle of the signature (the last one could only break base64url canonicity). */
    private static String flipSignatureChar(String token) {
        int i = token.lastIndexOf('.') + 10;
        char c = token.charAt(i) == 'A' ? 'B' : 'A';
        return token.substring(0, i) + c + token.substring(i + 1);
    }

    private static String unsecured() {
        return b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"root\",\"exp\":" + EXP + "}") + "." + b64("x");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
