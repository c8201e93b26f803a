package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Header;
import dev.jot.jwt.VerifiedJwt;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RemoteRevocations} against a real event-stream server: snapshot, increments, resumption, drops,
 * restarts, expiry, refusals, silence, and what happens while disconnected. Denials end by the
 * {@link MutableClock}; waiting for the subscriber's thread is polling, never a timed sleep.
 */
class RevocationFeedTest {

    static final long T0 = Tokens.T0.getEpochSecond();

    final MutableClock clock = new MutableClock(Tokens.T0);
    final AtomicInteger tokensGiven = new AtomicInteger();
    SseServer server;
    RemoteRevocations feed;

    RevocationFeedTest() throws Exception {
        server = new SseServer();
    }

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        server.close();
    }

    RemoteRevocations.Builder subscription() {
        return RemoteRevocations.builder(server.feed(), () -> "machine.token." + tokensGiven.incrementAndGet())
                .clock(clock).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
    }

    RemoteRevocations subscribe() {
        feed = subscription().subscribe();
        return feed;
    }

    static VerifiedJwt jwt(String jti, String sid, String sub) {
        return new VerifiedJwt(new Header(Algorithm.RS256, "k1", "at+jwt", null, null, Map.of()),
                Claims.of(Map.of("jti", jti, "sid", sid, "sub", sub)));
    }

    static VerifiedJwt jti(String jti) {
        return jwt(jti, "some-session", "some-user");
    }

    /** A stream in sync: the snapshot holds {@code jti} j1, sid s1 and sub u1, all denied for an hour. */
    SseServer.Stream synced() throws Exception {
        subscribe();
        SseServer.Stream s = server.next();
        s.reset().deny(1, "jti", "j1", T0 + 3600).deny(2, "sid", "s1", T0 + 3600).deny(3, "sub", "u1", T0 + 3600).ready();
        Polling.until(feed::isInSync);
        return s;
    }

    @Test
    void theSnapshotDeniesByJtiSidAndSubAndReadyPutsTheFeedInSync() throws Exception {
        subscribe();
        SseServer.Stream s = server.next();
        assertThat(s.request).isEqualTo(new SseServer.Request("Bearer machine.token.1", null, "text/event-stream"));
        s.reset().deny(1, "jti", "j1", T0 + 3600);
        Polling.until(() -> feed.denials() == 1);
        assertThat(feed.isInSync()).as("before ready").isFalse();
        assertThat(feed.isRevoked(jti("j1"))).as("a denial takes effect at once").isTrue();

        s.deny(2, "sid", "s1", T0 + 3600).deny(3, "sub", "u1", T0 + 3600).ready();
        Polling.until(feed::isInSync);
        assertThat(feed.isRevoked(jwt("x", "s1", "x"))).isTrue();
        assertThat(feed.isRevoked(jwt("x", "x", "u1"))).isTrue();
        assertThat(feed.isRevoked(jwt("x", "x", "x"))).isFalse();
        assertThat(feed.isRevoked(jwt("s1", "u1", "j1"))).as("a value counts only for its kind").isFalse();
    }

    @Test
    void aDenialAfterReadyTakesEffectOnTheNextRequest() throws Exception {
        SseServer.Stream s = synced();
        s.deny(4, "jti", "j4", T0 + 60);
        Polling.until(() -> feed.isRevoked(jti("j4")));
        assertThat(feed.lastEventAt()).contains(clock.instant());
    }

    @Test
    void aDroppedConnectionResumesWithLastEventIdAndGetsOnlyNewerEvents() throws Exception {
        SseServer.Stream first = synced();
        first.deny(4, "jti", "j4", T0 + 60).drop();
        SseServer.Stream second = server.next();
        assertThat(second.request.lastEventId()).isEqualTo("4");
        assertThat(second.request.authorization()).as("a token asked afresh").isEqualTo("Bearer machine.token.2");
        Polling.until(feed::isInSync);
        second.deny(5, "jti", "j5", T0 + 60);
        Polling.until(() -> feed.isRevoked(jti("j5")));
        assertThat(feed.isRevoked(jti("j1"))).isTrue();
        assertThat(feed.isRevoked(jti("j4"))).isTrue();
    }

    @Test
    void aConnectionLostMidSnapshotStartsOverWithoutLastEventId() throws Exception {
        subscribe();
        server.next().reset().deny(1, "jti", "j1", T0 + 60).drop();
        SseServer.Stream again = server.next();
        assertThat(again.request.lastEventId()).isNull();
        again.reset().deny(1, "jti", "j1", T0 + 60).ready();
        Polling.until(feed::isInSync);
        assertThat(feed.isRevoked(jti("j1"))).isTrue();
    }

    @Test
    void aRestartedServerThatCannotResumeSendsANewSnapshotWhichReplacesTheOldList() throws Exception {
        synced();
        int port = server.port();
        server.close();
        Polling.until(() -> !feed.isInSync());
        server = new SseServer(port);
        SseServer.Stream fresh = server.next();
        assertThat(fresh.request.lastEventId()).isEqualTo("3");
        fresh.reset().deny(1, "jti", "j9", T0 + 60);
        Polling.until(() -> feed.isRevoked(jti("j9")));
        assertThat(feed.isRevoked(jti("j1"))).as("the old list holds until ready").isTrue();
        fresh.ready();
        Polling.until(feed::isInSync);
        assertThat(feed.isRevoked(jti("j1"))).isFalse();
        assertThat(feed.isRevoked(jti("j9"))).isTrue();
        assertThat(feed.denials()).isEqualTo(1);
    }

    static VerifiedJwt issuedAt(String sub, long iat) {
        return new VerifiedJwt(new Header(Algorithm.RS256, "k1", "at+jwt", null, null, Map.of()),
                Claims.of(Map.of("jti", "any", "sub", sub, "iat", iat)));
    }

    @Test
    void aSubjectDenialWithACutOffDeniesOnlyTokensIssuedUpToIt() throws Exception {
        SseServer.Stream s = synced();
        s.send("event: deny\nid: 4\ndata: {\"kind\":\"sub\",\"value\":\"u9\",\"until\":" + (T0 + 900)
                + ",\"issued_before\":" + T0 + "}\n\n");
        Polling.until(() -> feed.denials() == 4);
        assertThat(feed.isRevoked(issuedAt("u9", T0 - 60))).as("issued before").isTrue();
        assertThat(feed.isRevoked(issuedAt("u9", T0))).as("issued in the same second").isTrue();
        assertThat(feed.isRevoked(issuedAt("u9", T0 + 1))).as("issued after: a new login").isFalse();
        assertThat(feed.isRevoked(jwt("x", "x", "u9"))).as("no iat: cannot show it is newer").isTrue();
        assertThat(feed.isRevoked(issuedAt("u1", T0 + 1))).as("a denial without cut-off covers every token").isTrue();
    }

    @Test
    void endedDenialsAreIgnoredAndLiveOnesDropOutWhenTheyEnd() throws Exception {
        SseServer.Stream s = synced();
        s.deny(4, "jti", "j4", T0 + 10).deny(5, "jti", "already-over", T0).deny(6, "jti", "marker", T0 + 3600);
        Polling.until(() -> feed.isRevoked(jti("marker")));
        assertThat(feed.isRevoked(jti("already-over"))).isFalse();
        assertThat(feed.denials()).isEqualTo(5);

        clock.advance(Duration.ofSeconds(10));
        assertThat(feed.isRevoked(jti("j4"))).as("until is exclusive").isFalse();
        feed.checkLiveness();
        assertThat(feed.denials()).isEqualTo(4);
    }

    @Test
    void unknownEventsAndMalformedDenialsAreIgnoredAndTheMalformedOnesLoggedOnce() throws Exception {
        try (LogCapture log = new LogCapture(RemoteRevocations.class)) {
            SseServer.Stream s = synced();
            s.send("event: quota\ndata: {\"sub\":\"u1\",\"remaining\":0}\n\n")
                    .send("event: deny\ndata: not json\n\n")
                    .send("event: deny\ndata: {\"kind\":\"iss\",\"value\":\"x\",\"until\":1}\n\n")
                    .send("event: deny\ndata: {\"kind\":\"jti\",\"value\":\"j7\",\"until\":\"soon\"}\n\n")
                    .send("data: a message without a type\n\n")
                    .deny(7, "jti", "j7", T0 + 60);
            Polling.until(() -> feed.isRevoked(jti("j7")));
            assertThat(server.requests).as("the connection stayed up").hasSize(1);
            assertThat(log.at(Level.WARNING)).filteredOn(m -> m.contains("ignored a deny event")).hasSize(1);
            assertThat(String.join("\n", log.all())).doesNotContain("machine.token");
        }
    }

    @Test
    void aRefusedTokenIsLoggedAndRetriedWithAFreshOne() throws Exception {
        try (LogCapture log = new LogCapture(RemoteRevocations.class)) {
            server.refuseNext(401);
            server.refuseNext(403);
            subscribe();
            server.next().reset().ready();
            Polling.until(feed::isInSync);
            assertThat(server.requests).extracting(SseServer.Request::authorization)
                    .containsExactly("Bearer machine.token.1", "Bearer machine.token.2", "Bearer machine.token.3");
            assertThat(log.at(Level.WARNING)).anyMatch(m -> m.contains("refused the bearer token (HTTP 401)"))
                    .anyMatch(m -> m.contains("refused the bearer token (HTTP 403)"));
            assertThat(String.join("\n", log.all())).doesNotContain("machine.token");
        }
    }

    @Test
    void aConnectionSilentBeyondTheBoundIsReplacedButHeartbeatsKeepItAlive() throws Exception {
        SseServer.Stream s = synced();
        clock.advance(Duration.ofSeconds(30));
        s.ping();
        Polling.until(() -> feed.lastEventAt().orElseThrow().equals(clock.instant()));
        clock.advance(Duration.ofSeconds(30));
        feed.checkLiveness();
        assertThat(server.hasPending()).as("30 s since the ping: alive").isFalse();
        assertThat(feed.isInSync()).isTrue();

        clock.advance(Duration.ofSeconds(16));
        feed.checkLiveness();
        SseServer.Stream replacement = server.next();
        assertThat(replacement.request.lastEventId()).isEqualTo("3");
    }

    @Test
    void byDefaultTheLastListKeepsServingWhileDisconnected() throws Exception {
        synced();
        server.close();
        Polling.until(() -> !feed.isInSync());
        clock.advance(Duration.ofHours(1).minusSeconds(1));
        assertThat(feed.isRevoked(jti("j1"))).isTrue();
        assertThat(feed.isRevoked(jti("fine"))).isFalse();
    }

    @Test
    void failingClosedRefusesEveryTokenOnceOutOfSyncLongerThanTheBound() throws Exception {
        feed = subscription().failClosedAfter(Duration.ofSeconds(60)).subscribe();
        server.next().reset().deny(1, "jti", "j1", T0 + 3600).ready();
        Polling.until(feed::isInSync);
        clock.advance(Duration.ofMinutes(10));
        assertThat(feed.isRevoked(jti("fine"))).as("in sync, however long").isFalse();

        server.close();
        Polling.until(() -> !feed.isInSync());
        clock.advance(Duration.ofSeconds(60));
        assertThat(feed.isRevoked(jti("fine"))).as("at the bound").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(feed.isRevoked(jti("fine"))).as("past the bound").isTrue();
    }

    @Test
    void failingClosedCountsFromTheSubscriptionWhenNoSnapshotEverArrived() throws Exception {
        server.close();
        feed = subscription().failClosedAfter(Duration.ofSeconds(5)).subscribe();
        assertThat(feed.isRevoked(jti("fine"))).isFalse();
        clock.advance(Duration.ofSeconds(6));
        assertThat(feed.isRevoked(jti("fine"))).isTrue();
    }

    @Test
    void aDeniedJtiIsRefusedByTheGuardEvenWhenItsVerificationIsCached() throws Exception {
        Tokens tokens = new Tokens();
        feed = subscription().subscribe();
        SseServer.Stream s = server.next();
        s.reset().ready();
        Polling.until(feed::isInSync);
        Guard guard = tokens.guard().revocations(feed).build();
        String token = tokens.valid("ada");
        AuthResult.Authenticated a = (AuthResult.Authenticated) guard.authenticate(FakeRequest.bearer(token));
        s.deny(1, "jti", a.jwt().claims().jwtId().orElseThrow(), T0 + 900);
        Polling.until(() -> feed.denials() == 1);
        assertThat(guard.authenticate(FakeRequest.bearer(token))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.description()).isEqualTo("The access token has been revoked"));
        guard.close();
        Polling.until(() -> Polling.threadsNamed("jot-guard-revocations") == 0);
        feed = null;
    }

    @Test
    void aFeedOverPlainHttpToAnotherHostIsRefused() {
        assertThatThrownBy(() -> RemoteRevocations.subscribe(URI.create("http://auth.example.com/revocations"), () -> "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingDisconnectsAndEndsTheSubscribersThread() throws Exception {
        synced();
        feed.close();
        Polling.until(() -> !feed.isInSync());
        Polling.until(() -> Polling.threadsNamed("jot-guard-revocations") == 0);
        assertThat(server.requests).hasSize(1);
    }
}
