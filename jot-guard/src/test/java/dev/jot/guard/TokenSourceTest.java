package dev.jot.guard;

import static dev.jot.guard.TokenExtractor.BAD_BEARER;
import static dev.jot.guard.TokenExtractor.BAD_CHARACTERS;
import static dev.jot.guard.TokenExtractor.BODY_NOT_STRING;
import static dev.jot.guard.TokenExtractor.BODY_TOO_LARGE;
import static dev.jot.guard.TokenExtractor.MORE_THAN_ONE_METHOD;
import static dev.jot.guard.TokenExtractor.REPEATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.TokenExtractor.Absent;
import dev.jot.guard.TokenExtractor.Extraction;
import dev.jot.guard.TokenExtractor.Found;
import dev.jot.guard.TokenExtractor.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where tokens are found, and which requests are malformed (RFC 6750 §2). */
class TokenSourceTest {

    private static final String T = "eyJh.eyJz.c2ln";
    private static final Extraction FOUND = new Found(T);
    private static final Extraction ABSENT = new Absent();

    private static final List<TokenSource> BEARER = TokenSource.DEFAULT;
    private static final List<TokenSource> HEADER = List.of(TokenSource.header("TOKEN"));
    private static final List<TokenSource> QUERY = List.of(TokenSource.queryParameter("access_token"));
    private static final List<TokenSource> COOKIE = List.of(TokenSource.cookie("token"));
    private static final List<TokenSource> BODY = List.of(TokenSource.jsonBodyField("access_token"));
    private static final List<TokenSource> BARE = List.of(TokenSource.bareAuthorization());

    static Stream<Arguments> cases() {
        return Stream.of(
                // Authorization: Bearer (RFC 6750 §2.1)
                arguments("bearer token is found", BEARER, auth("Bearer " + T), FOUND),
                arguments("lowercase bearer scheme is found", BEARER, auth("bearer " + T), FOUND),
                arguments("uppercase BEARER scheme is found", BEARER, auth("BEARER " + T), FOUND),
                arguments("padding after the token is allowed", BEARER, auth("Bearer abc=="), new Found("abc==")),
                arguments("surrounding whitespace of the field value is ignored", BEARER, auth("  Bearer " + T + " "), FOUND),
                arguments("no Authorization header is absent", BEARER, FakeRequest.empty(), ABSENT),
                arguments("Basic credentials are not a bearer token", BEARER, auth("Basic dXNlcjpwYXNz"), ABSENT),
                arguments("a longer scheme name is not Bearer", BEARER, auth("BearerX " + T), ABSENT),
                arguments("Bearer without a token is malformed", BEARER, auth("Bearer"), new Malformed(BAD_BEARER)),
                arguments("Bearer and a space without a token is malformed", BEARER, auth("Bearer "), new Malformed(BAD_BEARER)),
                arguments("two spaces after Bearer are malformed", BEARER, auth("Bearer  " + T), new Malformed(BAD_BEARER)),
                arguments("a tab after Bearer is malformed", BEARER, auth("Bearer\t" + T), new Malformed(BAD_BEARER)),
                arguments("two tokens after Bearer are malformed", BEARER, auth("Bearer " + T + " " + T), new Malformed(BAD_BEARER)),
                arguments("a quote in the token is malformed", BEARER, auth("Bearer " + T + "\""), new Malformed(BAD_BEARER)),
                arguments("only padding is malformed", BEARER, auth("Bearer =="), new Malformed(BAD_BEARER)),
                arguments("padding inside the token is malformed", BEARER, auth("Bearer ab=c"), new Malformed(BAD_BEARER)),
                arguments("two bearer Authorization headers are refused", BEARER, auth("Bearer " + T).header("Authorization", "Bearer " + T), new Malformed(REPEATED)),
                arguments("a Basic header next to a Bearer one still finds the bearer token", BEARER, auth("Basic eA==").header("Authorization", "Bearer " + T), FOUND),
                arguments("the default does not read the query", BEARER, FakeRequest.empty().query("access_token", T), ABSENT),
                arguments("the default does not read a bare Authorization value", BEARER, auth(T), ABSENT),
                // custom header
                arguments("custom header token is found", HEADER, FakeRequest.empty().header("TOKEN", T), FOUND),
                arguments("custom header name is case-insensitive", HEADER, FakeRequest.empty().header("token", T), FOUND),
                arguments("custom header absent is absent", HEADER, FakeRequest.empty(), ABSENT),
                arguments("empty custom header is absent", HEADER, FakeRequest.empty().header("TOKEN", ""), ABSENT),
                arguments("custom header with a scheme is malformed", HEADER, FakeRequest.empty().header("TOKEN", "Bearer " + T), new Malformed(BAD_CHARACTERS)),
                arguments("custom header sent twice with different values is refused", HEADER, FakeRequest.empty().header("TOKEN", T).header("TOKEN", "x.y.z"), new Malformed(REPEATED)),
                arguments("custom header sent twice with one value is found", HEADER, FakeRequest.empty().header("TOKEN", T).header("TOKEN", T), FOUND),
                // query parameter (RFC 6750 §2.3)
                arguments("query parameter token is found", QUERY, FakeRequest.empty().query("access_token", T), FOUND),
                arguments("query parameter absent is absent", QUERY, FakeRequest.empty().query("other", T), ABSENT),
                arguments("empty query parameter is absent", QUERY, FakeRequest.empty().query("access_token", ""), ABSENT),
                arguments("query parameter with a space is malformed", QUERY, FakeRequest.empty().query("access_token", "a b"), new Malformed(BAD_CHARACTERS)),
                arguments("repeated query parameter is refused", QUERY, FakeRequest.empty().query("access_token", T).query("access_token", "x.y.z"), new Malformed(REPEATED)),
                // cookie
                arguments("cookie token is found", COOKIE, FakeRequest.empty().cookie("token", T), FOUND),
                arguments("cookie absent is absent", COOKIE, FakeRequest.empty().cookie("session", T), ABSENT),
                arguments("cleared cookie is absent", COOKIE, FakeRequest.empty().cookie("token", ""), ABSENT),
                arguments("cookie with a semicolon is malformed", COOKIE, FakeRequest.empty().cookie("token", T + ";x"), new Malformed(BAD_CHARACTERS)),
                // JSON body field
                arguments("JSON body field token is found", BODY, FakeRequest.empty().json("{\"access_token\":\"" + T + "\"}"), FOUND),
                arguments("JSON with a charset parameter is read", BODY, json("application/json; charset=utf-8", "{\"access_token\":\"" + T + "\"}"), FOUND),
                arguments("a +json media type is read", BODY, json("application/vnd.api+json", "{\"access_token\":\"" + T + "\"}"), FOUND),
                arguments("a text body is not read", BODY, json("text/plain", "{\"access_token\":\"" + T + "\"}"), ABSENT),
                arguments("a body without the field is absent", BODY, FakeRequest.empty().json("{\"other\":\"" + T + "\"}"), ABSENT),
                arguments("only top-level members count", BODY, FakeRequest.empty().json("{\"x\":{\"access_token\":\"" + T + "\"}}"), ABSENT),
                arguments("a body that is not JSON holds no token", BODY, FakeRequest.empty().json("{\"access_token\":"), ABSENT),
                arguments("a JSON array body holds no token", BODY, FakeRequest.empty().json("[\"" + T + "\"]"), ABSENT),
                arguments("a duplicated member is not JSON we accept", BODY, FakeRequest.empty().json("{\"access_token\":\"a.b\",\"access_token\":\"c.d\"}"), ABSENT),
                arguments("a number field is malformed", BODY, FakeRequest.empty().json("{\"access_token\":5}"), new Malformed(BODY_NOT_STRING)),
                arguments("a field with a space is malformed", BODY, FakeRequest.empty().json("{\"access_token\":\"a b\"}"), new Malformed(BAD_CHARACTERS)),
                arguments("a body over the cap is refused", List.of(TokenSource.jsonBodyField("access_token", 16)), FakeRequest.empty().json("{\"access_token\":\"" + T + "\"}"), new Malformed(BODY_TOO_LARGE)),
                // bare Authorization value
                arguments("bare token is found", BARE, auth(T), FOUND),
                arguments("a scheme name alone is not a bare token", BARE, auth("Bearer"), ABSENT),
                arguments("a value without a dot is not a bare token", BARE, auth("opaque"), ABSENT),
                arguments("bearer credentials are not a bare token", BARE, auth("Bearer " + T), ABSENT),
                // combined sources (RFC 6750 §2: one method only)
                arguments("bearer plus bare finds a bearer token", List.of(TokenSource.bearer(), TokenSource.bareAuthorization()), auth("Bearer " + T), FOUND),
                arguments("bearer plus bare finds a bare token", List.of(TokenSource.bearer(), TokenSource.bareAuthorization()), auth(T), FOUND),
                arguments("header and custom header at once are refused", List.of(TokenSource.bearer(), TokenSource.header("TOKEN")), auth("Bearer " + T).header("TOKEN", T), new Malformed(MORE_THAN_ONE_METHOD)),
                arguments("header and query at once are refused", List.of(TokenSource.bearer(), TokenSource.queryParameter("access_token")), auth("Bearer " + T).query("access_token", T), new Malformed(MORE_THAN_ONE_METHOD)),
                arguments("cookie and body at once are refused", List.of(TokenSource.cookie("token"), TokenSource.jsonBodyField("access_token")), FakeRequest.empty().cookie("token", T).json("{\"access_token\":\"" + T + "\"}"), new Malformed(MORE_THAN_ONE_METHOD)),
                arguments("one of several configured sources is found", List.of(TokenSource.bearer(), TokenSource.queryParameter("access_token"), TokenSource.cookie("token")), FakeRequest.empty().cookie("token", T), FOUND),
                arguments("a malformed source is reported even when another has a token", List.of(TokenSource.bearer(), TokenSource.cookie("token")), auth("Bearer").cookie("token", T), new Malformed(BAD_BEARER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void extractionFindsExactlyWhatTheTableSays(String name, List<TokenSource> sources, FakeRequest request, Extraction expected) {
        assertThat(TokenExtractor.extract(sources, request)).isEqualTo(expected);
    }

    @Test
    void theBodyIsNotReadWhenTheContentTypeIsNotJson() {
        FakeRequest request = FakeRequest.empty().body("application/octet-stream", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(TokenExtractor.extract(BODY, request)).isEqualTo(ABSENT);
        assertThat(request.bodyReads).isZero();
    }

    @Test
    void aBodyDeclaredLargerThanTheCapIsRefusedWithoutBeingRead() {
        FakeRequest request = FakeRequest.empty().json("{}").header("Content-Length", "70000");
        assertThat(TokenExtractor.extract(BODY, request)).isEqualTo(new Malformed(BODY_TOO_LARGE));
        assertThat(request.bodyReads).isZero();
    }

    @Test
    void sourceNamesThatCannotBeHeaderOrCookieNamesAreRefusedAtConfiguration() {
        assertThatThrownBy(() -> TokenSource.header("X Token")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSource.header("Authorization")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSource.cookie("a;b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSource.queryParameter("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSource.jsonBodyField("t", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listingTheSameSourceTwiceIsAConfigurationError() {
        assertThatThrownBy(() -> Guard.builder(new Tokens().verifier).sources(TokenSource.bearer(), TokenSource.bearer()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static FakeRequest auth(String value) {
        return FakeRequest.empty().header("Authorization", value);
    }

    private static FakeRequest json(String contentType, String body) {
        return FakeRequest.empty().body(contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
