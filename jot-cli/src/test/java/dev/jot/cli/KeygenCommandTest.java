package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Json;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.OctJwk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KeygenCommandTest {

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void printsOneLineParseablePrivateJwkWithAlgAndRandomKid(Algorithm alg) {
        Jot.Result first = Jot.run("keygen", "--alg", alg.jwsName());
        Jot.Result second = Jot.run("keygen", "--alg", alg.jwsName());

        assertThat(first.exit()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(first.outLines()).hasSize(1);
        Jwk jwk = Jwk.parse(first.out());
        assertThat(jwk.isPrivate()).isTrue();
        assertThat(jwk.alg()).isEqualTo(alg);
        assertThat(jwk.kid()).matches("[A-Za-z0-9_-]{22}"); // 128 random bits, base64url
        assertThat(Jwk.parse(second.out()).kid()).isNotEqualTo(jwk.kid());
        assertThat(Json.parseObject(second.out()).get(secretMember(jwk)))
                .isNotEqualTo(Json.parseObject(first.out()).get(secretMember(jwk)));
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"HS256", "HS384", "HS512"})
    void hmacKeysAreRandomBytesOfTheHashLength(Algorithm alg) {
        Jwk jwk = Jwk.parse(Jot.run("keygen", "--alg", alg.jwsName()).out());

        assertThat(((OctJwk) jwk).length()).isEqualTo(alg.hashBytes());
    }

    @Test
    void usesTheGivenKid() {
        Jot.Result r = Jot.run("keygen", "--alg", "ES256", "--kid", "signing-2025");

        assertThat(r.exit()).isZero();
        assertThat(Jwk.parse(r.out()).kid()).isEqualTo("signing-2025");
    }

    @Test
    void emptyKidIsAUsageError() {
        Jot.Result r = Jot.run("keygen", "--alg", "EdDSA", "--kid", "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().startsWith("error: INVALID_KEY: --kid: ");
    }

    private static String secretMember(Jwk jwk) {
        return jwk.kty().equals("oct") ? "k" : "d";
    }
}
