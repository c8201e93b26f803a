package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Reason;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Claims;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Roles and scopes after authentication: 403 insufficient_scope naming what is missing, never 401. */
class AccessTest {

    private final Tokens tokens = new Tokens();
    private final Guard guard = tokens.guard().realm("orders").build();

    private Authenticated auth(Consumer<Claims.Builder> claims) {
        return (Authenticated) guard.authenticate(FakeRequest.bearer(tokens.sign(Tokens.TRUSTED, claims)));
    }

    private static final UnaryOperator<AuthResult> SECRET =
            r -> r.require(Access.anyOf(Access.scopes("secret:read"), Access.role("admin")));

    static Stream<Arguments> cases() {
        Consumer<Claims.Builder> reader = c -> c.claim("scope", "orders:read profile").claim("roles", List.of("clerk"));
        UnaryOperator<AuthResult> role = r -> r.requireRole("clerk");
        return Stream.of(
                arguments("the role in roles", reader, role, null),
                arguments("a role named only in scope", c(c -> c.claim("scope", "clerk")), role,
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"clerk\""),
                arguments("roles that is a string", c(c -> c.claim("roles", "clerk")), role,
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"clerk\""),
                arguments("all of the scopes", reader, op(r -> r.requireScope("orders:read", "profile")), null),
                arguments("one scope missing of two", reader, op(r -> r.requireScope("orders:read", "orders:write")),
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"orders:read orders:write\""),
                arguments("a scope named only in roles", c(c -> c.claim("roles", List.of("orders:read"))),
                        op(r -> r.requireScope("orders:read")),
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"orders:read\""),
                arguments("a prefix of a scope", c(c -> c.claim("scope", "orders:readall")), op(r -> r.requireScope("orders:read")),
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"orders:read\""),
                arguments("any one of the scopes", reader, op(r -> r.requireAnyScope("orders:write", "orders:read")), null),
                arguments("none of the scopes", reader, op(r -> r.requireAnyScope("orders:write", "admin")),
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"orders:write admin\""),
                arguments("chained checks, both met", reader, op(r -> r.requireRole("clerk").requireScope("profile")), null),
                arguments("chained checks, the first fails", reader, op(r -> r.requireRole("boss").requireScope("profile")),
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"boss\""),
                arguments("either grant: the scope", c(c -> c.claim("scope", "secret:read")), SECRET, null),
                arguments("either grant: the role", c(c -> c.claim("roles", List.of("admin"))), SECRET, null),
                arguments("either grant: both", c(c -> c.claim("scope", "secret:read").claim("roles", List.of("admin"))),
                        SECRET, null),
                arguments("either grant: neither", reader, SECRET, "Bearer realm=\"orders\", "
                        + "error=\"insufficient_scope\", scope=\"secret:read admin\""),
                arguments("either grant: the role named in scope only", c(c -> c.claim("scope", "admin")), SECRET,
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"secret:read admin\""),
                arguments("either grant: one of two scopes of the first option", c(c -> c.claim("scope", "a")),
                        op(r -> r.require(Access.anyOf(Access.scopes("a", "b"), Access.role("admin")))),
                        "Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"a b admin\""),
                arguments("either grant: a nested alternative", c(c -> c.claim("roles", List.of("ops"))),
                        op(r -> r.require(Access.anyOf(Access.role("admin"),
                                Access.anyOf(Access.role("ops"), Access.anyScope("x", "y"))))), null),
                arguments("extra spaces in scope", c(c -> c.claim("scope", " profile  orders:read ")),
                        op(r -> r.requireScope("orders:read")), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requireLetsInExactlyWhatTheTokenGrants(String name, Consumer<Claims.Builder> claims, UnaryOperator<AuthResult> check,
                                               String challenge) {
        Authenticated a = auth(claims);
        AuthResult r = check.apply(a);
        if (challenge == null) {
            assertThat(r).isSameAs(a);
        } else {
            assertThat(r).isInstanceOfSatisfying(Rejected.class, x -> {
                assertThat(x.reason()).isEqualTo(Reason.INSUFFICIENT_SCOPE);
                assertThat(x.status()).isEqualTo(403);
                assertThat(x.wwwAuthenticate()).isEqualTo(challenge);
            });
        }
    }

    @Test
    void anAlternativeRefusalSaysWhatWouldHaveLetTheRequestIn() {
        AuthResult r = auth(c -> { }).require(Access.anyOf(Access.scopes("secret:read"), Access.role("admin")));
        assertThat(r).isInstanceOfSatisfying(Rejected.class, x -> {
            assertThat(x.code()).isEqualTo("insufficient_scope");
            assertThat(x.description()).isEqualTo("The access token has none of the accepted roles and scopes");
        });
    }

    @Test
    void aRefusedRequestStaysRefusedWithItsFirstReason() {
        AuthResult missing = guard.authenticate(FakeRequest.empty());
        assertThat(missing.requireRole("admin").requireScope("x")).isSameAs(missing);
    }

    @Test
    void namesThatAreNotScopeTokensAreProgrammingErrors() {
        Authenticated a = auth(c -> { });
        Stream.<Runnable>of(() -> a.requireRole("a b"), () -> a.requireScope(), () -> a.requireScope("x\"y"),
                () -> a.requireAnyScope("ok", ""), () -> Access.role("a\\b"), () -> Access.anyOf(Access.role("x")),
                () -> Access.anyOf(Access.role("x"), Access.publicAccess()),
                () -> Access.anyOf(Access.authenticated(), Access.role("x")))
                .forEach(bad -> assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void publicAndAnyTokenLetEveryAuthenticatedRequestThrough() {
        Authenticated a = auth(c -> { });
        assertThat(a.require(Access.publicAccess())).isSameAs(a);
        assertThat(a.require(Access.authenticated())).isSameAs(a);
    }

    @Test
    void guardRequireKeepsItsReadingOfRoleOrScope() {
        Authenticated a = auth(c -> c.claim("scope", "admin"));
        assertThat(guard.require(a, "admin")).isSameAs(a);
        assertThat(a.requireRole("admin")).isInstanceOf(Rejected.class);
    }

    private static Consumer<Claims.Builder> c(Consumer<Claims.Builder> f) {
        return f;
    }

    private static UnaryOperator<AuthResult> op(UnaryOperator<AuthResult> f) {
        return f;
    }
}
