package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jot.guard.TokenSource;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API's settings: one required variable, documented defaults, and a clear message for each mistake. */
class TutorialConfigTest {

    private static TutorialConfig read(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return TutorialConfig.fromEnv(env);
    }

    @Test
    void theIssuerAloneIsEnough() {
        TutorialConfig c = read("JOT_ISSUER", "http://localhost:8080/");

        assertThat(c.issuer()).isEqualTo("http://localhost:8080");
        assertThat(c.audience()).isEqualTo("http://localhost:8080");
        assertThat(c.sources()).containsExactly(TokenSource.bearer());
        assertThat(c.feed()).isEqualTo(new TutorialConfig.Feed.None());
        assertThat(c.feedUrl()).isEqualTo(URI.create("http://localhost:8080/revocations"));
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.usage()).isEqualTo(TutorialConfig.Usage.DEFAULT);
        assertThat(c.metering()).as("no client to ship with").isFalse();
        assertThat(c.usage().rateLimits()).isTrue();
    }

    @Test
    void meteringIsOnByDefaultForAnApiWithClientCredentialsAndCanBeTurnedOffForABenchmark() {
        String[] client = {"JOT_ISSUER", "http://localhost:8080", "JOT_CLIENT_ID", "api", "JOT_CLIENT_SECRET", "s"};
        assertThat(read(client).metering()).isTrue();
        assertThat(read(client).usage().interval()).isEqualTo(Duration.ofSeconds(10));
        String[] off = java.util.Arrays.copyOf(client, client.length + 6);
        System.arraycopy(new String[] {"JOT_USAGE", "off", "JOT_USAGE_INTERVAL", "30", "JOT_RATE_LIMITS", "OFF"}, 0,
                off, client.length, 6);
        TutorialConfig c = read(off);
        assertThat(c.metering()).isFalse();
        assertThat(c.usage()).isEqualTo(new TutorialConfig.Usage(TutorialConfig.Usage.Metering.OFF,
                Duration.ofSeconds(30), false));
    }

    @Test
    void everyOptionalSettingIsRead() {
        TutorialConfig c = read("JOT_ISSUER", "https://auth.example.com", "JOT_AUDIENCE", "tutorial",
                "JOT_TOKEN_SOURCES", "bearer, bare,header:TOKEN,query:token,body:token,cookie:jwt",
                "JOT_CLIENT_ID", "tutorial-api", "JOT_CLIENT_SECRET", "s3cret",
                "JOT_REVOCATIONS_URL", "https://feed.example.com/revocations", "API_BIND", "0.0.0.0", "API_PORT", "0");

        assertThat(c.audience()).isEqualTo("tutorial");
        assertThat(c.sources()).containsExactly(TokenSource.bearer(), TokenSource.bareAuthorization(),
                TokenSource.header("TOKEN"), TokenSource.queryParameter("token"), TokenSource.jsonBodyField("token"),
                TokenSource.cookie("jwt"));
        assertThat(c.feed()).isEqualTo(new TutorialConfig.Feed.Client("tutorial-api", "s3cret"));
        assertThat(c.feed().toString()).doesNotContain("s3cret");
        assertThat(c.feedUrl()).isEqualTo(URI.create("https://feed.example.com/revocations"));
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isZero();
        assertThat(read("JOT_ISSUER", "http://localhost:8080", "JOT_REVOCATIONS_TOKEN", "a.b.c").feed().toString())
                .doesNotContain("a.b.c");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                arguments(List.of("JOT_ISSUER", ""), "JOT_ISSUER is required"),
                arguments(List.of("JOT_ISSUER", " "), "JOT_ISSUER is required"),
                arguments(List.of("JOT_TOKEN_SOURCES", "bearer,cookies:x"), "unknown kind 'cookies'"),
                arguments(List.of("JOT_TOKEN_SOURCES", "header:"), "JOT_TOKEN_SOURCES: 'header:'"),
                arguments(List.of("JOT_TOKEN_SOURCES", "header:Authorization"), "JOT_TOKEN_SOURCES"),
                arguments(List.of("JOT_TOKEN_SOURCES", "bearer:x"), "takes no name"),
                arguments(List.of("JOT_TOKEN_SOURCES", "query:t,query:t"), "names a source twice"),
                arguments(List.of("JOT_CLIENT_ID", "api"), "JOT_CLIENT_ID and JOT_CLIENT_SECRET go together"),
                arguments(List.of("JOT_CLIENT_SECRET", "s"), "JOT_CLIENT_ID and JOT_CLIENT_SECRET go together"),
                arguments(List.of("JOT_REVOCATIONS_TOKEN", "t", "JOT_CLIENT_ID", "api", "JOT_CLIENT_SECRET", "s"), "not both"),
                arguments(List.of("API_PORT", "eighty"), "API_PORT must be a number"),
                arguments(List.of("JOT_USAGE", "on"), "JOT_USAGE=on needs JOT_CLIENT_ID and JOT_CLIENT_SECRET"),
                arguments(List.of("JOT_USAGE", "yes"), "JOT_USAGE must be on or off"),
                arguments(List.of("JOT_USAGE_INTERVAL", "ten"), "JOT_USAGE_INTERVAL must be a number of seconds"),
                arguments(List.of("JOT_USAGE_INTERVAL", "0"), "JOT_USAGE_INTERVAL must be 1 to 3600 seconds"),
                arguments(List.of("JOT_RATE_LIMITS", "maybe"), "JOT_RATE_LIMITS must be on or off"),
                arguments(List.of("API_PORT", "70000"), "API_PORT must be between 0 and 65535"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheVariable(List<String> pairs, String message) {
        Map<String, String> env = new HashMap<>(Map.of("JOT_ISSUER", "http://localhost:8080"));
        for (int i = 0; i < pairs.size(); i += 2) {
            env.put(pairs.get(i), pairs.get(i + 1));
        }
        assertThatThrownBy(() -> TutorialConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
