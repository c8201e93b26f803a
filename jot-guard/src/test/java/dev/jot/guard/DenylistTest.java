package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.Denylist.Denial;
import dev.jot.guard.Denylist.Kind;
import dev.jot.jwt.VerifiedJwt;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which tokens a denial covers: by each claim it names, and for sub and client_id only those issued up to the cut-off. */
class DenylistTest {
    private static final Tokens TOKENS = new Tokens();
    private static final long T0 = Tokens.T0.getEpochSecond();
    private static final long NOW_MILLIS = Tokens.T0.toEpochMilli();

    static Stream<Arguments> cases() {
        Consumer<dev.jot.jwt.Claims.Builder> key1 = c -> c.subject("ada").jwtId("j1").claim("sid", "s1").claim("client_id", "key_1");
        return Stream.of(
                Arguments.of("a jti denial covers that token", new Denial(Kind.JTI, "j1", T0 + 60), key1, true),
                Arguments.of("a sid denial covers the session's token", new Denial(Kind.SID, "s1", T0 + 60), key1, true),
                Arguments.of("a sub denial covers the user's token", new Denial(Kind.SUB, "ada", T0 + 60, T0), key1, true),
                Arguments.of("a client denial covers the key's token", new Denial(Kind.CLIENT, "key_1", T0 + 60, T0), key1, true),
                Arguments.of("a client denial spares another key's token", new Denial(Kind.CLIENT, "key_2", T0 + 60, T0), key1, false),
                Arguments.of("a client denial spares a token issued after its cut-off",
                        new Denial(Kind.CLIENT, "key_1", T0 + 60, T0 - 1), key1, false),
                Arguments.of("a sub denial spares a token issued after its cut-off",
                        new Denial(Kind.SUB, "ada", T0 + 60, T0 - 1), key1, false),
                Arguments.of("a denial that has ended covers nothing", new Denial(Kind.CLIENT, "key_1", T0, T0), key1, false),
                Arguments.of("a client denial does not match the sub", new Denial(Kind.CLIENT, "ada", T0 + 60, T0), key1, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aDenialCoversExactlyTheTokensItNames(String name, Denial denial, Consumer<dev.jot.jwt.Claims.Builder> claims,
                                              boolean denied) {
        Denylist list = new Denylist();
        list.deny(denial, T0 - 1);
        VerifiedJwt jwt = TOKENS.verifier.verify(TOKENS.sign(Tokens.TRUSTED, claims.andThen(c -> c.issuedAt(Tokens.T0)
                .expiresAt(Tokens.T0.plus(Duration.ofMinutes(5))))));
        assertThat(list.isDenied(jwt, NOW_MILLIS)).isEqualTo(denied);
    }
}
