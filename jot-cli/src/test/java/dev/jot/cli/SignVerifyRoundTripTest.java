package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.Unverified;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignVerifyRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aTokenSignedWithAKeygenKeyVerifiesWithTheSameFile(Algorithm alg) {
        Path key = Jot.write(dir, "key.json", Jot.run("keygen", "--alg", alg.jwsName(), "--kid", "k1").out());

        Jot.Result signed = Jot.run("sign", "--key", key.toString(), "--exp", "15m", "--iss", "https://auth.example",
                "--sub", "alice", "--aud", "orders", "--claims", "{\"role\":\"admin\",\"n\":[1,2]}");
        assertThat(signed.exit()).isZero();
        assertThat(signed.err()).isEmpty();
        assertThat(signed.outLines()).singleElement().asString().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        String token = signed.out().strip();
        assertThat(Unverified.decode(token).header()).containsEntry("alg", alg.jwsName()).containsEntry("kid", "k1");

        Jot.Result verified = Jot.run("verify", "--key", key.toString(), "--iss", "https://auth.example",
                "--aud", "orders", token);
        assertThat(verified.exit()).isZero();
        assertThat(verified.err()).isEmpty();
        assertThat(verified.json())
                .containsEntry("role", "admin")
                .containsEntry("n", List.of(1L, 2L))
                .containsEntry("iss", "https://auth.example")
                .containsEntry("sub", "alice")
                .containsEntry("aud", "orders")
                .containsEntry("iat", Jot.NOW.getEpochSecond())
                .containsEntry("exp", Jot.NOW.getEpochSecond() + 15 * 60);
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"RS256", "PS384", "ES512", "EdDSA"})
    void theSameTokenVerifiesWithThePublicJwkSet(Algorithm alg) {
        Jwk key = Jwk.generate(alg, "pub-1");
        Path privateFile = Jot.write(dir, "private.json", key.toJson());
        Path publicSet = Jot.write(dir, "jwks.json", Jwks.of(key).toPublic().toJson());
        String token = Jot.run("sign", "--key", privateFile.toString(), "--exp", "1h").out().strip();

        Jot.Result r = Jot.run("verify", "--key", publicSet.toString(), token);

        assertThat(r.exit()).isZero();
        assertThat(r.json()).containsEntry("exp", Jot.NOW.getEpochSecond() + 3600);
    }

    @Test
    void verifyPicksTheKeyByKidFromASetOfSeveral() {
        Jwk a = Jwk.generate(Algorithm.ES256, "a");
        Jwk b = Jwk.generate(Algorithm.EdDSA, "b");
        Path set = Jot.write(dir, "set.json", Jwks.of(a, b).toJson());
        String token = Jot.run("sign", "--key", Jot.write(dir, "b.json", b.toJson()).toString(), "--exp", "1m")
                .out().strip();

        Jot.Result r = Jot.run("verify", "--key", set.toString(), token);

        assertThat(r.exit()).isZero();
        assertThat(r.json()).containsKey("exp");
    }

    @Test
    void aKeyWithoutAlgSignsAndVerifiesWithAnExplicitAlg() {
        Map<String, Object> members = new java.util.LinkedHashMap<>(Jwk.generate(Algorithm.HS384, null).toMap());
        members.remove("alg");
        Path key = Jot.write(dir, "no-alg.json", dev.jot.jwt.Json.write(members));

        String token = Jot.run("sign", "--key", key.toString(), "--alg", "HS384", "--exp", "90s").out().strip();
        Jot.Result r = Jot.run("verify", "--key", key.toString(), "--alg", "HS384", token);

        assertThat(Unverified.decode(token).header()).containsEntry("alg", "HS384");
        assertThat(r.exit()).isZero();
        assertThat(r.json()).containsEntry("exp", Jot.NOW.getEpochSecond() + 90);
    }

    @Test
    void flagsOverrideTheClaimsFileAndAnExplicitIatIsKept() {
        Path key = Jot.keyFile(dir, Algorithm.ES256, "k");
        Path claims = Jot.write(dir, "claims.json", "{\"sub\":\"from-file\",\"iat\":1700000000,\"scope\":\"read\"}");

        String token = Jot.run("sign", "--key", key.toString(), "--claims-file", claims.toString(),
                "--sub", "from-flag", "--aud", "a", "--aud", "b", "--exp", "7d").out().strip();

        assertThat(Unverified.decode(token).claims())
                .containsEntry("sub", "from-flag")
                .containsEntry("scope", "read")
                .containsEntry("iat", 1_700_000_000L)
                .containsEntry("aud", List.of("a", "b"))
                .containsEntry("exp", Jot.NOW.getEpochSecond() + 7 * 86_400);
    }

    @Test
    void claimsCanComeFromStdin() {
        Path key = Jot.keyFile(dir, Algorithm.HS256, "k");

        Jot.Result r = Jot.runWithStdin("{\"scope\":\"write\"}\n", "sign", "--key", key.toString(), "--claims-file", "-");

        assertThat(r.exit()).isZero();
        assertThat(Unverified.decode(r.out().strip()).claims())
                .containsEntry("scope", "write")
                .containsEntry("iat", Jot.NOW.getEpochSecond())
                .doesNotContainKey("exp");
    }
}
