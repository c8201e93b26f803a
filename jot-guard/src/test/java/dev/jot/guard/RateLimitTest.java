package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Reason;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.guard.RateLimitFields.Member;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits from the token's {@code jot_limits} (a token bucket per subject or client) and quotas from the feed's
 * {@code event: quota}: 429 {@code quota_exceeded}, {@code Retry-After}, and the draft's RateLimit fields, read with
 * a Structured Fields parser. Time is the {@link MutableClock}.
 */
class RateLimitTest {

    static final long T0 = Tokens.T0.getEpochSecond();

    final Tokens tokens = new Tokens();
    SseServer server;
    RemoteRevocations feed;

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.close();
        }
    }

    String limited(String sub, String clientId, Map<String, Object> limits) {
        return tokens.sign(Tokens.TRUSTED, c -> {
            c.subject(sub).claim("jot_limits", limits);
            if (clientId != null) {
                c.claim("client_id", clientId);
            }
        });
    }

    static Map<String, Object> limits(Long minute, Long day, Long month) {
        Map<String, Object> m = new HashMap<>();
        m.put("minute", minute);
        m.put("day", day);
        m.put("month", month);
        return m;
    }

    static Map<String, String> fields(AuthResult r) {
        return switch (r) {
            case Authenticated a -> a.rateLimit() == null ? Map.of() : a.rateLimit().headers();
            case Rejected x -> ProblemDocument.headers(x);
        };
    }

    @Test
    void theSixHundredAndFirstRequestInAMinuteIsRefusedAndTheBucketRefills() {
        Guard guard = tokens.guard().rateLimits(RateLimits.fromTokens()).build();
        String ada = limited("ada", null, limits(600L, 100_000L, null));
        for (int i = 1; i <= 600; i++) {
            AuthResult r = guard.authenticate(FakeRequest.bearer(ada));
            assertThat(r).as("request " + i).isInstanceOf(Authenticated.class);
            assertThat(RateLimitFields.limit(fields(r).get("RateLimit")).params()).containsEntry("r", 600L - i);
        }
        AuthResult refused = guard.authenticate(FakeRequest.bearer(ada));
        assertThat(refused).isInstanceOfSatisfying(Rejected.class, x -> {
            assertThat(x.reason()).isEqualTo(Reason.QUOTA_EXCEEDED);
            assertThat(x.status()).isEqualTo(429);
            assertThat(x.code()).isEqualTo("quota_exceeded");
            assertThat(x.wwwAuthenticate()).isEmpty();
        });
        Map<String, String> h = fields(refused);
        assertThat(h).doesNotContainKey("WWW-Authenticate").containsEntry("Retry-After", "1");
        assertThat(RateLimitFields.limit(h.get("RateLimit"))).isEqualTo(new Member("minute", Map.of("r", 0L, "t", 1L)));
        assertThat(new String(ProblemDocument.json((Rejected) refused))).contains("\"status\":429")
                .contains("\"code\":\"quota_exceeded\"").contains("\"policy\":\"minute\"").contains("Too Many Requests");

        tokens.clock.advance(Duration.ofSeconds(1)); // 600 a minute: ten a second come back
        for (int i = 0; i < 10; i++) {
            assertThat(guard.authenticate(FakeRequest.bearer(ada))).isInstanceOf(Authenticated.class);
        }
        assertThat(guard.authenticate(FakeRequest.bearer(ada))).isInstanceOf(Rejected.class);
        tokens.clock.advance(Duration.ofMinutes(1));
        assertThat(RateLimitFields.limit(fields(guard.authenticate(FakeRequest.bearer(ada))).get("RateLimit")).params())
                .as("full again after a minute").containsEntry("r", 599L).containsEntry("t", 1L);
    }

    @Test
    void eachSubjectHasItsOwnBucketAndMachineTokensShareTheirClients() {
        Guard guard = tokens.guard().rateLimits(RateLimits.fromTokens()).build();
        Map<String, Object> two = limits(2L, null, null);
        String ada = limited("ada", null, two);
        String bob = limited("bob", null, two);
        String keyA = limited("ada", "key-1", two);
        String keyB = limited("bob", "key-1", two);
        assertThat(List.of(ada, ada, ada, bob, keyA, keyB, keyA)).extracting(t -> guard.authenticate(FakeRequest.bearer(t)) instanceof Authenticated)
                .containsExactly(true, true, false, true, true, true, false);
    }

    @Test
    void theBucketTheIssuerNamesWinsOverTheClientId() {
        // Logins carry the first-party client_id ("jot"): without the named bucket every user would share one.
        Guard guard = tokens.guard().rateLimits(RateLimits.fromTokens()).build();
        Map<String, Object> adas = limits(2L, null, null);
        adas.put("bucket", "sub:ada");
        Map<String, Object> bobs = limits(2L, null, null);
        bobs.put("bucket", "sub:bob");
        Map<String, Object> keys = limits(2L, null, null);
        keys.put("bucket", "client:key-1");
        Map<String, Object> malformed = limits(2L, null, null);
        malformed.put("bucket", "team:x"); // an unknown kind is ignored: the client_id decides, as without a bucket
        String ada = limited("ada", "jot", adas);
        String bob = limited("bob", "jot", bobs);
        String key = limited("ada", "key-1", keys);
        String other = limited("carol", "jot", malformed);
        assertThat(List.of(ada, ada, ada, bob, bob, bob, key, key, key, other))
                .extracting(t -> guard.authenticate(FakeRequest.bearer(t)) instanceof Authenticated)
                .containsExactly(true, true, false, true, true, false, true, true, false, true);
    }

    @Test
    void theBuildersDefaultRateCoversTokensWithoutOneAndATokenWithoutLimitsGetsNoFields() {
        String plain = tokens.valid("ada");
        Guard withDefault = tokens.guard().rateLimits(RateLimits.builder().defaultPerMinute(1).build()).build();
        assertThat(fields(withDefault.authenticate(FakeRequest.bearer(plain)))).containsEntry("RateLimit-Policy", "\"minute\";q=1;w=60");
        assertThat(withDefault.authenticate(FakeRequest.bearer(plain))).isInstanceOf(Rejected.class);
        Guard noDefault = tokens.guard().rateLimits(RateLimits.fromTokens()).build();
        assertThat(((Authenticated) noDefault.authenticate(FakeRequest.bearer(plain))).rateLimit()).isNull();
        Guard without = tokens.guard().build();
        assertThat(((Authenticated) without.authenticate(FakeRequest.bearer(limited("ada", null, limits(0L, null, null)))))
                .rateLimit()).as("a guard without rate limits enforces none").isNull();
    }

    @Test
    void thePolicyFieldListsTheTokensPoliciesWithQuotaAndWindowAsTheDraftsGrammarSays() {
        Guard guard = tokens.guard().rateLimits(RateLimits.fromTokens()).build();
        String ada = limited("ada", null, limits(600L, 100_000L, 2_000_000L));
        Map<String, String> h = fields(guard.authenticate(FakeRequest.bearer(ada)));
        assertThat(h.get("RateLimit-Policy")).isEqualTo("\"minute\";q=600;w=60, \"day\";q=100000;w=86400, \"month\";q=2000000;w=2592000");
        assertThat(RateLimitFields.policies(h.get("RateLimit-Policy"))).containsExactly(
                new Member("minute", Map.of("q", 600L, "w", 60L)), new Member("day", Map.of("q", 100_000L, "w", 86_400L)),
                new Member("month", Map.of("q", 2_000_000L, "w", 2_592_000L)));
        assertThat(RateLimitFields.limit(h.get("RateLimit"))).isEqualTo(new Member("minute", Map.of("r", 599L, "t", 1L)));
        assertThat(h).doesNotContainKeys("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
    }

    @Test
    void legacyFieldsAreSentOnlyWhenAskedFor() {
        Guard guard = tokens.guard().rateLimits(RateLimits.builder().legacyHeaders(true).build()).build();
        Map<String, String> h = fields(guard.authenticate(FakeRequest.bearer(limited("ada", null, limits(60L, null, null)))));
        assertThat(h).containsEntry("X-RateLimit-Limit", "60").containsEntry("X-RateLimit-Remaining", "59")
                .containsEntry("X-RateLimit-Reset", "1");
    }

    private Guard guardWithFeed() {
        server = assertDoesNotThrow(SseServer::new);
        feed = RemoteRevocations.builder(server.feed(), () -> "machine.token").clock(tokens.clock)
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).subscribe();
        return tokens.guard().revocations(feed).rateLimits(RateLimits.fromTokens()).build();
    }

    private static SseServer assertDoesNotThrow(java.util.concurrent.Callable<SseServer> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String quota(long id, String kind, String value, String policy, long limit, long until) {
        return "event: quota\nid: " + id + "\ndata: {\"kind\":\"" + kind + "\",\"value\":\"" + value + "\",\"policy\":\""
                + policy + "\",\"limit\":" + limit + ",\"until\":" + until + "}\n\n";
    }

    @Test
    void aLiftedQuotaLetsTheSubjectInAgainBeforeItsEnd() throws Exception {
        Guard guard = guardWithFeed();
        SseServer.Stream s = server.next();
        s.reset().ready();
        Polling.until(feed::isInSync);
        s.send(quota(7, "sub", "ada", "day", 100, T0 + 3600));
        Polling.until(() -> feed.quotas().size() == 1);
        String ada = limited("ada", null, limits(600L, 100L, null));
        assertThat(guard.authenticate(FakeRequest.bearer(ada))).isInstanceOf(Rejected.class);
        s.send(quota(8, "sub", "ada", "lifted", 0, T0 + 600)); // an admin raised the quota
        Polling.until(() -> feed.quotas().size() == 0);
        assertThat(guard.authenticate(FakeRequest.bearer(ada))).isInstanceOf(Authenticated.class);
    }

    @Test
    void aQuotaEventRefusesTheSubjectWith429NamingThePolicyUntilItsEnd() throws Exception {
        Guard guard = guardWithFeed();
        SseServer.Stream s = server.next();
        s.reset().ready();
        Polling.until(feed::isInSync);
        s.send(quota(7, "sub", "ada", "day", 100, T0 + 120));
        Polling.until(() -> feed.quotas().size() == 1);
        String ada = limited("ada", null, limits(600L, 100L, null));
        AuthResult r = guard.authenticate(FakeRequest.bearer(ada));
        assertThat(r).isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.code()).isEqualTo("quota_exceeded"));
        Map<String, String> h = fields(r);
        assertThat(h).containsEntry("Retry-After", "120");
        assertThat(RateLimitFields.limit(h.get("RateLimit"))).isEqualTo(new Member("day", Map.of("r", 0L, "t", 120L)));
        assertThat(RateLimitFields.policies(h.get("RateLimit-Policy"))).extracting(Member::name).containsExactly("minute", "day");
        assertThat(new String(ProblemDocument.json((Rejected) r))).contains("\"policy\":\"day\"");
        assertThat(guard.authenticate(FakeRequest.bearer(limited("bob", null, limits(600L, 100L, null)))))
                .isInstanceOf(Authenticated.class);
        assertThat(guard.authenticate(FakeRequest.bearer(tokens.valid("ada"))))
                .as("a token without limits is refused all the same: the subject is").isInstanceOf(Rejected.class);

        tokens.clock.advance(Duration.ofSeconds(119));
        assertThat(RateLimitFields.limit(fields(guard.authenticate(FakeRequest.bearer(ada))).get("RateLimit")).params())
                .containsEntry("t", 1L);
        tokens.clock.advance(Duration.ofSeconds(1));
        assertThat(guard.authenticate(FakeRequest.bearer(ada))).as("at until").isInstanceOf(Authenticated.class);
        feed.checkLiveness();
        assertThat(feed.quotas().size()).as("ended entries drop out").isZero();
    }

    @Test
    void aClientQuotaRefusesTheClientsTokensWhateverTheirSubject() throws Exception {
        Guard guard = guardWithFeed();
        SseServer.Stream s = server.next();
        s.reset().send(quota(1, "client", "key-9", "month", 5000, T0 + 3600)).ready();
        Polling.until(feed::isInSync);
        assertThat(guard.authenticate(FakeRequest.bearer(limited("ada", "key-9", limits(10L, null, 5000L)))))
                .isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.rateLimit().reported().name()).isEqualTo("month"));
        assertThat(guard.authenticate(FakeRequest.bearer(limited("ada", "key-8", limits(10L, null, 5000L)))))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void aResetSnapshotReplacesTheBoardSoAQuotaNoLongerInItIsLifted() throws Exception {
        Guard guard = guardWithFeed();
        SseServer.Stream s = server.next();
        s.reset().send(quota(1, "sub", "ada", "day", 100, T0 + 3600)).ready();
        Polling.until(() -> feed.isInSync() && feed.quotas().size() == 1);
        String ada = limited("ada", null, limits(600L, 100L, null));
        assertThat(guard.authenticate(FakeRequest.bearer(ada))).isInstanceOf(Rejected.class);
        s.reset().send(quota(2, "sub", "bob", "day", 100, T0 + 3600)).ready();
        Polling.until(() -> feed.isInSync() && feed.quotas().find("sub:bob", tokens.clock.millis()) != null);
        assertThat(guard.authenticate(FakeRequest.bearer(ada))).isInstanceOf(Authenticated.class);
        assertThat(feed.quotas().size()).isOne();
    }

    @Test
    void malformedQuotaEventsAreIgnoredAndLoggedOnce() throws Exception {
        try (LogCapture log = new LogCapture(RemoteRevocations.class)) {
            guardWithFeed();
            SseServer.Stream s = server.next();
            s.reset().ready();
            Polling.until(feed::isInSync);
            s.send("event: quota\ndata: {\"kind\":\"team\",\"value\":\"x\",\"policy\":\"day\",\"limit\":1,\"until\":1}\n\n");
            s.send("event: quota\ndata: not json\n\n");
            s.send(quota(3, "sub", "ada", "Day Quota", 1, T0 + 60));
            s.send(quota(4, "sub", "ada", "day", 1, T0 + 60));
            Polling.until(() -> feed.quotas().size() == 1);
            assertThat(log.at(Level.WARNING)).filteredOn(m -> m.contains("quota event")).hasSize(1);
        }
    }
}
