package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Rejected;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Roles come from the {@code roles} string array or the OAuth {@code scope} string; missing means 403. */
class RoleTest {

    private final Tokens tokens = new Tokens();
    private final Guard guard = tokens.guard().build();

    static Stream<Arguments> grants() {
        return Stream.of(
                arguments("a roles array containing the role", c(b -> b.claim("roles", List.of("user", "admin"))), true),
                arguments("a scope string containing the role", c(b -> b.claim("scope", "read admin write")), true),
                arguments("a scope string with only the role", c(b -> b.claim("scope", "admin")), true),
                arguments("both claims, role only in scope", c(b -> b.claim("roles", List.of("user")).claim("scope", "admin")), true),
                arguments("a roles array without the role", c(b -> b.claim("roles", List.of("user"))), false),
                arguments("a scope with a longer word containing the role", c(b -> b.claim("scope", "administrator")), false),
                arguments("a role differing in case", c(b -> b.claim("roles", List.of("Admin"))), false),
                arguments("a roles claim that is a string, not an array", c(b -> b.claim("roles", "admin")), false),
                arguments("a scope claim that is an array, not a string", c(b -> b.claim("scope", List.of("admin"))), false),
                arguments("no roles and no scope at all", c(b -> { }), false));
    }

    @ParameterizedTest(name = "{0} grants admin: {2}")
    @MethodSource("grants")
    void requireLetsThroughExactlyTheTokensThatGrantTheRole(String name, Consumer<dev.jot.jwt.Claims.Builder> claims, boolean granted) {
        Authenticated auth = (Authenticated) guard.authenticate(FakeRequest.bearer(tokens.sign(Tokens.TRUSTED, claims)));
        AuthResult result = guard.require(auth, "admin");
        if (granted) {
            assertThat(result).isSameAs(auth);
        } else {
            assertThat(result).isEqualTo(new Rejected(AuthResult.Reason.INSUFFICIENT_SCOPE, "The access token lacks the required role",
                    "Bearer realm=\"jot\", error=\"insufficient_scope\", scope=\"admin\""));
        }
    }

    @Test
    void aRoleThatIsNotAScopeTokenIsAProgrammingError() {
        Authenticated auth = (Authenticated) guard.authenticate(FakeRequest.bearer(tokens.valid("ada")));
        assertThatThrownBy(() -> guard.require(auth, "ad min")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard.require(auth, "a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard.require(auth, "")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Consumer<dev.jot.jwt.Claims.Builder> c(Consumer<dev.jot.jwt.Claims.Builder> f) {
        return f;
    }
}
