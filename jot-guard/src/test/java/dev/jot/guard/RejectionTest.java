package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Reason;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a request is refused, with the exact status, code and RFC 6750 §3 challenge. */
class RejectionTest {

    private static final String INVALID = "Bearer realm=\"jot\", error=\"invalid_token\", error_description=";

    private final Tokens tokens = new Tokens();
    private final Guard guard = tokens.guard().build();

    static Stream<Arguments> badTokens() {
        Function<Tokens, String> expired = t -> t.sign(Tokens.TRUSTED,
                c -> c.issuedAt(Tokens.T0.minus(Duration.ofHours(1))).expiresAt(Tokens.T0.minus(Duration.ofSeconds(61))));
        return Stream.of(
                arguments("an expired token", expired, "token_expired", "The access token expired"),
                arguments("a token not valid yet", (Function<Tokens, String>) t -> t.sign(Tokens.TRUSTED,
                        c -> c.notBefore(Tokens.T0.plus(Duration.ofMinutes(5)))), "token_invalid", "The access token is not valid yet"),
                arguments("a token signed by a forger with the trusted kid", (Function<Tokens, String>) t -> t.sign(Tokens.FORGER, c -> { }),
                        "token_invalid", "The access token signature is invalid"),
                arguments("a token with a tampered signature", (Function<Tokens, String>) t -> Tokens.forge(t.valid("ada")),
                        "token_invalid", "The access token signature is invalid"),
                arguments("a token with a tampered payload", (Function<Tokens, String>) t -> tamperPayload(t.valid("ada")),
                        "token_invalid", "The access token signature is invalid"),
                arguments("a token signed with an unknown kid", (Function<Tokens, String>) t -> t.sign(Tokens.UNKNOWN, c -> { }),
                        "token_invalid", "The access token is signed with an unknown key"),
                arguments("an HS256 token against an RS256 key", (Function<Tokens, String>) t -> t.sign(Tokens.HMAC, c -> { }),
                        "token_invalid", "The access token is signed with an algorithm that is not accepted"),
                arguments("an alg none token", (Function<Tokens, String>) t -> Tokens.raw("{\"alg\":\"none\"}", "{\"sub\":\"root\"}"),
                        "token_invalid", "The access token is signed with an algorithm that is not accepted"),
                arguments("a token with an unknown critical header", (Function<Tokens, String>) t -> Tokens.raw(
                        "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x\"],\"x\":1}", "{}"),
                        "token_invalid", "The access token has a critical header parameter that is not understood"),
                arguments("a token that is not JOSE at all", (Function<Tokens, String>) t -> "aaa.bbb.ccc",
                        "token_invalid", "The access token is malformed"),
                arguments("a token from another issuer", (Function<Tokens, String>) t -> t.sign(Tokens.TRUSTED,
                        c -> c.issuer("https://evil.test")), "token_invalid", "The access token has an invalid iss claim"),
                arguments("a token without exp", (Function<Tokens, String>) t -> Tokens.signExactly(Tokens.TRUSTED,
                        Claims.builder().issuer(Tokens.ISSUER).subject("ada").build()),
                        "token_invalid", "The access token lacks the required exp claim"));
    }

    @ParameterizedTest(name = "{0} is refused with 401 {2}")
    @MethodSource("badTokens")
    void badTokensAreRefusedWithTheExactChallenge(String name, Function<Tokens, String> make, String code, String description) {
        String token = make.apply(tokens);
        AuthResult result = guard.authenticate(FakeRequest.bearer(token));
        assertThat(result).isInstanceOf(Rejected.class);
        Rejected r = (Rejected) result;
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.description()).isEqualTo(description);
        assertThat(r.wwwAuthenticate()).isEqualTo(INVALID + "\"" + description + "\"");
        assertThat(r.description() + r.wwwAuthenticate()).doesNotContain(token.substring(0, 10));
    }

    static Stream<Arguments> reasons() {
        return Stream.of(arguments(Reason.TOKEN_MISSING, 401, "token_missing"),
                arguments(Reason.TOKEN_INVALID, 401, "token_invalid"),
                arguments(Reason.TOKEN_EXPIRED, 401, "token_expired"),
                arguments(Reason.INVALID_REQUEST, 400, "invalid_request"),
                arguments(Reason.INSUFFICIENT_SCOPE, 403, "insufficient_scope"),
                arguments(Reason.QUOTA_EXCEEDED, 429, "quota_exceeded"));
    }

    @ParameterizedTest(name = "{0} is {1} {2}")
    @MethodSource("reasons")
    void everyReasonHasItsStatusAndStableCode(Reason reason, int status, String code) {
        assertThat(reason.status()).isEqualTo(status);
        assertThat(reason.code()).isEqualTo(code);
        assertThat(new Rejections("jot").refuse(reason, "Fixed text", "orders:read").code()).isEqualTo(code);
    }

    @Test
    void theReasonTableCoversEveryReason() {
        assertThat(reasons().map(a -> a.get()[0])).containsExactlyInAnyOrder((Object[]) Reason.values());
    }

    @Test
    void aValidTokenIsAuthenticatedWithItsClaims() {
        AuthResult result = guard.authenticate(FakeRequest.bearer(tokens.valid("ada")));
        assertThat(result).isInstanceOfSatisfying(Authenticated.class,
                a -> assertThat(a.jwt().claims().subject()).contains("ada"));
    }

    @Test
    void noTokenGets401TokenMissingWithAChallengeWithoutErrorAttribute() {
        assertThat(guard.authenticate(FakeRequest.empty()))
                .isEqualTo(new Rejected(Reason.TOKEN_MISSING, "No access token was sent", "Bearer realm=\"jot\""));
    }

    @Test
    void basicCredentialsCountAsNoBearerToken() {
        FakeRequest request = FakeRequest.empty().header("Authorization", "Basic YWRhOnNlY3JldA==");
        assertThat(guard.authenticate(request)).isEqualTo(guard.authenticate(FakeRequest.empty()));
    }

    @Test
    void aMalformedAuthorizationHeaderGets400InvalidRequest() {
        assertThat(guard.authenticate(FakeRequest.empty().header("Authorization", "Bearer  x.y.z")))
                .isEqualTo(new Rejected(Reason.INVALID_REQUEST, TokenExtractor.BAD_BEARER,
                        "Bearer realm=\"jot\", error=\"invalid_request\", error_description=\""
                                + TokenExtractor.BAD_BEARER + "\""));
    }

    @Test
    void aTokenSentByTwoMethodsGets400InvalidRequestEvenWhenValid() {
        Guard both = tokens.guard().sources(TokenSource.bearer(), TokenSource.cookie("token")).build();
        String token = tokens.valid("ada");
        assertThat(both.authenticate(FakeRequest.bearer(token).cookie("token", token)))
                .isEqualTo(new Rejected(Reason.INVALID_REQUEST, TokenExtractor.MORE_THAN_ONE_METHOD,
                        "Bearer realm=\"jot\", error=\"invalid_request\", error_description=\""
                                + TokenExtractor.MORE_THAN_ONE_METHOD + "\""));
        assertThat(tokens.verifications).hasValue(0);
    }

    @Test
    void anOptInSourceAuthenticatesOnItsOwn() {
        Guard query = tokens.guard().sources(TokenSource.queryParameter("access_token")).build();
        assertThat(query.authenticate(FakeRequest.empty().query("access_token", tokens.valid("ada"))))
                .isInstanceOf(Authenticated.class);
        assertThat(query.authenticate(FakeRequest.bearer(tokens.valid("ada"))))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo("token_missing"));
    }

    @ParameterizedTest(name = "{0} has a description that is a legal unquoted error_description")
    @EnumSource(JwtException.Code.class)
    void everyCodeHasAFixedDescriptionMadeOfRfc6750Characters(JwtException.Code code) {
        String description = Rejections.describe(new JwtException(code, "attacker said \"<script>\""));
        // RFC 6750 §3: error_description = *( %x20-21 / %x23-5B / %x5D-7E ), no quote, no backslash
        assertThat(description).isNotBlank().matches("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+").doesNotContain("attacker");
    }

    @Test
    void onlyExpiredMapsToTokenExpired() {
        Rejections r = new Rejections("jot");
        for (JwtException.Code code : EnumSet.allOf(JwtException.Code.class)) {
            String expected = code == JwtException.Code.EXPIRED ? "token_expired" : "token_invalid";
            assertThat(r.invalidToken(new JwtException(code, "x")).code()).as(code.name()).isEqualTo(expected);
        }
    }

    @Test
    void aClaimNameFromOutsideJotsOwnChecksIsNeverEchoed() {
        String description = Rejections.describe(new JwtException(JwtException.Code.CLAIM_MISSING, "x\", evil=\"1", "m"));
        assertThat(description).isEqualTo("The access token lacks a required claim");
    }

    @Test
    void theRealmIsQuotedWithBackslashEscapes() {
        Guard custom = tokens.guard().realm("my \"api\\v2\"").build();
        assertThat(((Rejected) custom.authenticate(FakeRequest.empty())).wwwAuthenticate())
                .isEqualTo("Bearer realm=\"my \\\"api\\\\v2\\\"\"");
    }

    @Test
    void aRealmWithAControlCharacterIsRefusedAtConfiguration() {
        assertThatThrownBy(() -> tokens.guard().realm("jot\r\nSet-Cookie: x=y")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String tamperPayload(String token) {
        int first = token.indexOf('.');
        char c = token.charAt(first + 5);
        return token.substring(0, first + 5) + (c == 'A' ? 'B' : 'A') + token.substring(first + 6);
    }
}
