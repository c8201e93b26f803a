package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A logout at Jot reaches the tutorial API through the revocation feed, read with an admin's token. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class RevocationTest {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationTest.class);

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    Jot jot;
    TutorialApi api;
    Http http;

    @BeforeEach
    void start() {
        jot = new Jot(databaseKind, dataDir);
        api = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0)
                .withFeed(new TutorialConfig.Feed.BearerToken(jot.accessToken("root"))));
        http = new Http(api.baseUrl());
        Latency.until(Latency.PATIENCE, () -> api.feed().orElseThrow().isInSync());
    }

    @AfterEach
    void stop() {
        api.close();
        jot.close();
    }

    @Test
    void aLoggedOutTokenIsRefusedWithinASecond() {
        Map<String, Object> ada = jot.login("ada");
        String token = (String) ada.get("access_token");
        assertThat(http.getAs(token, "/private").statusCode()).isEqualTo(200); // and now in the guard's cache

        jot.logout(ada);
        long ms = Latency.until(Latency.PATIENCE, () -> http.getAs(token, "/private").statusCode() == 401);

        LOG.info("[{}] logout seen by the tutorial API after {} ms (target {} ms)", databaseKind, ms,
                Latency.TARGET.toMillis());
        assertThat(ms).isLessThan(Latency.REVOCATION_BOUND.toMillis());
        HttpResponse<String> r = http.getAs(token, "/private");
        assertThat(Json.parseObject(r.body())).containsEntry("code", "token_invalid")
                .containsEntry("detail", "The access token has been revoked");
        assertThat(http.getAs(jot.accessToken("ada"), "/private").statusCode()).as("a new login works").isEqualTo(200);
    }

    @Test
    void aTokenLoggedOutBeforeTheApiStartedIsRefusedFromTheSnapshot() {
        Map<String, Object> ada = jot.login("ada");
        jot.logout(ada);
        try (TutorialApi later = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0)
                .withFeed(new TutorialConfig.Feed.BearerToken(jot.accessToken("root"))))) {
            Latency.until(Latency.PATIENCE, () -> later.feed().orElseThrow().isInSync());

            assertThat(new Http(later.baseUrl()).getAs((String) ada.get("access_token"), "/private").statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void aFeedClientTheIssuerRefusesLeavesTheApiServingAndTheFeedOutOfSync() {
        try (TutorialApi refused = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0)
                .withFeed(new TutorialConfig.Feed.Client("tutorial-api", "not-a-secret-jot-knows")))) {
            // The client credentials grant went to the discovery document's token_endpoint, and was refused.
            Latency.until(Latency.PATIENCE, () -> refused.feedClient().orElseThrow().requests() >= 1);

            assertThat(refused.feed().orElseThrow().isInSync()).isFalse();
            assertThat(new Http(refused.baseUrl()).getAs(jot.accessToken("ada"), "/private").statusCode())
                    .as("the last (empty) denylist keeps serving").isEqualTo(200);
        }
    }

    @Test
    void withoutAFeedALoggedOutTokenStillWorksUntilItExpires() {
        // What the feed is for: the same API without it cannot know.
        try (TutorialApi blind = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0))) {
            Map<String, Object> ada = jot.login("ada");
            jot.logout(ada);

            assertThat(new Http(blind.baseUrl()).getAs((String) ada.get("access_token"), "/private").statusCode())
                    .isEqualTo(200);
            assertThat(blind.feed()).isEmpty();
        }
    }
}
