package dev.jot.server.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scopes and audiences of token requests (RFC 6749 §3.3, RFC 8707). */
class TokenPolicyTest {
    static final String OWN = "http://jot.test";
    static final String ORDERS = "https://orders.example.com";
    static final String BILLING = "https://billing.example.com";
    final TokenPolicy policy = new TokenPolicy(List.of("profile", "orders:read"), OWN, List.of(ORDERS, BILLING));

    @Test
    void theScopeParameterIsSpaceSeparatedAndEmptyMeansOmitted() {
        assertThat(Scopes.parameter("orders:read  profile")).hasValue(List.of("orders:read", "profile"));
        assertThat(Scopes.parameter("profile profile")).hasValue(List.of("profile"));
        assertThat(Scopes.parameter("")).isEmpty();
        assertThat(Scopes.parameter("   ")).isEmpty();
        assertThat(Scopes.parameter(null)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"pro\u0007file", "a\tb", "\"quoted\"", "back\\slash", "caf\u00e9", "nul\u0000",
            "new\nline", "del\u007f"})
    void aScopeOutsideTheScopeTokenSyntaxIsInvalidScope(String scope) {
        assertThatThrownBy(() -> Scopes.parameter(scope)).isInstanceOfSatisfying(ServerException.class,
                e -> assertThat(e.error()).isEqualTo(ServerError.INVALID_SCOPE));
    }

    @Test
    void tooManyOrTooLongScopesAreRefused() {
        String thirtyThree = String.join(" ", java.util.stream.IntStream.range(0, 33).mapToObj(i -> "s" + i).toList());
        assertThatThrownBy(() -> Scopes.parameter(thirtyThree)).isInstanceOf(ServerException.class);
        assertThat(Scopes.parameter(thirtyThree.substring(0, thirtyThree.lastIndexOf(' '))))
                .hasValueSatisfying(s -> assertThat(s).hasSize(32));
        assertThatThrownBy(() -> Scopes.checked(List.of("x".repeat(129)))).isInstanceOf(ServerException.class);
    }

    @Test
    void aRequestGetsWhatItAsksWithinWhatIsAllowedOrAllOfIt() {
        assertThat(Scopes.grant(Optional.empty(), List.of("a", "b"))).containsExactly("a", "b");
        assertThat(Scopes.grant(Optional.of(List.of("b")), List.of("a", "b"))).containsExactly("b");
        assertThatThrownBy(() -> Scopes.grant(Optional.of(List.of("c")), List.of("a", "b")))
                .isInstanceOfSatisfying(ServerException.class,
                        e -> assertThat(e.error()).isEqualTo(ServerError.INVALID_SCOPE));
    }

    @Test
    void theFirstApiIsTheDefaultAudienceAndTheServersOwnIsAlwaysATarget() {
        assertThat(policy.defaultAudience()).isEqualTo(ORDERS);
        assertThat(policy.audiences()).containsExactly(OWN, ORDERS, BILLING);
        assertThat(new TokenPolicy(List.of("profile"), OWN, List.of()).defaultAudience()).isEqualTo(OWN);
        assertThat(policy.audience(Optional.of(BILLING), Optional.empty(), List.of())).isEqualTo(BILLING);
        assertThat(policy.audience(Optional.empty(), Optional.of(OWN), List.of())).isEqualTo(OWN);
        assertThat(policy.audience(Optional.empty(), Optional.empty(), List.of(BILLING))).isEqualTo(BILLING);
    }

    @Test
    void anUnknownOrForbiddenTargetIsInvalidTarget() {
        for (Runnable r : List.<Runnable>of(
                () -> policy.audience(Optional.of("https://elsewhere.example"), Optional.empty(), List.of()),
                () -> policy.audience(Optional.of(ORDERS), Optional.empty(), List.of(BILLING)),
                () -> policy.checkedAudiences(List.of("https://elsewhere.example")))) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(ServerException.class,
                    e -> assertThat(e.error()).isEqualTo(ServerError.INVALID_TARGET));
        }
        assertThatThrownBy(() -> policy.audience(Optional.of(ORDERS), Optional.of(BILLING), List.of()))
                .isInstanceOfSatisfying(ServerException.class,
                        e -> assertThat(e.error()).isEqualTo(ServerError.INVALID_REQUEST));
    }

    @Test
    void scopesSupportedAreTheUserScopesAndTheServersOwn() {
        assertThat(policy.scopesSupported()).containsExactly("profile", "orders:read", "jot:introspect",
                "jot:revocations", "jot:usage");
    }
}
