package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.guard.JwksServer.Raw;
import dev.jot.guard.JwksServer.Stall;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.RsaJwk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Guard#forIssuer}: discovery, the key set, and what happens when the issuer misbehaves. A real HTTP server
 * on a random port; time is a {@link MutableClock} and the background worker is off, so each test says exactly
 * when fetches are due ({@link RemoteJwks#maintain()}).
 */
class RemoteKeysTest {

    static final String AUDIENCE = "orders-api";
    static final Jwk K1 = Jwk.generate(Algorithm.RS256, "k1");
    static final Jwk K2 = Jwk.generate(Algorithm.RS256, "k2");
    static final Duration LIFE = Duration.ofSeconds(600);

    final MutableClock clock = new MutableClock(Tokens.T0);
    final JwksServer server;
    final List<Guard> guards = new ArrayList<>();

    RemoteKeysTest() throws Exception {
        server = new JwksServer(K1);
        server.keys("max-age=600", null, K1);
    }

    @AfterEach
    void stop() {
        guards.forEach(Guard::close);
        server.close();
    }

    Guard.Builder guard() {
        return Guard.forIssuer(server.issuer()).audience(AUDIENCE).clock(clock).backgroundRefresh(false);
    }

    Guard build(Guard.Builder b) {
        Guard g = b.build();
        guards.add(g);
        return g;
    }

    String token(Jwk key) {
        return token(key, c -> { });
    }

    String token(Jwk key, Consumer<Claims.Builder> custom) {
        Claims.Builder c = Claims.builder().issuer(server.issuer()).subject("ada").audience(AUDIENCE)
                .jwtId(UUID.randomUUID().toString()).issuedAt(clock.instant())
                .expiresAt(clock.instant().plus(Duration.ofMinutes(15)));
        custom.accept(c);
        return JwtSigner.builder(key).type("at+jwt").build().sign(c.build());
    }

    static Jwk withoutAlg(Jwk rsa) {
        return Jwk.of(((RsaJwk) rsa).publicKey()).withKid(rsa.kid());
    }

    static AuthResult authenticate(Guard g, String token) {
        return g.authenticate(FakeRequest.bearer(token));
    }

    static void assertRefused(AuthResult r, String description) {
        assertThat(r).isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.description()).isEqualTo(description));
    }

    void advance(Duration d, Guard g) {
        clock.advance(d);
        g.remoteKeys().maintain().join();
    }

    @Test
    void aTokenSignedWithAPublishedKeyIsAuthenticatedAfterOneDiscoveryAndOneKeySetFetch() {
        Guard g = build(guard());
        assertThat(authenticate(g, token(K1))).isInstanceOf(Authenticated.class);
        assertThat(authenticate(g, token(K1))).isInstanceOf(Authenticated.class);
        assertThat(server.discoveryRequests).hasValue(1);
        assertThat(server.keyRequests).hasValue(1);
    }

    @Test
    void theBackgroundWorkerFetchesTheKeysWithoutARequestAndStopsWhenTheGuardCloses() throws Exception {
        Guard g = build(Guard.forIssuer(server.issuer()).audience(AUDIENCE).clock(clock));
        Polling.until(() -> g.remoteKeys().current() != null);
        assertThat(server.keyRequests).hasValue(1);
        assertThat(Polling.threadsNamed("jot-guard-keys")).isPositive();
        g.close();
        Polling.until(() -> Polling.threadsNamed("jot-guard-keys") == 0);
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefusedAndNoKeysAreFetched() {
        server.discoveryNames("https://evil.example.com");
        Guard g = build(guard());
        assertThat(g.refreshKeys()).isFalse();
        assertRefused(authenticate(g, token(K1)), "The access token cannot be verified");
        assertThat(server.keyRequests).hasValue(0);
    }

    @Test
    void aJwksUriOverPlainHttpToAnotherHostIsRefused() {
        server.discoveryPointsTo("http://keys.example.com/jwks");
        Guard g = build(guard());
        assertThat(g.refreshKeys()).isFalse();
        assertThat(server.keyRequests).hasValue(0);
    }

    @Test
    void maxAgeIsHonouredAndTheSetIsRefreshedInTheBackgroundAtFourFifthsOfIt() {
        Guard g = build(guard());
        g.refreshKeys();
        advance(Duration.ofSeconds(479), g);
        assertThat(server.keyRequests).as("not due yet").hasValue(1);
        advance(Duration.ofSeconds(1), g);
        assertThat(server.keyRequests).as("due at 480 s of 600").hasValue(2);
        assertThat(server.discoveryRequests).as("discovery is not repeated").hasValue(1);
    }

    @Test
    void theLifetimeFollowsTheResponseClampedToTheConfiguredBounds() {
        record Case(String cacheControl, Duration expected) {
        }
        for (Case c : List.of(
                new Case("max-age=600", Duration.ofSeconds(600)),
                new Case("public, max-age=\"120\"", Duration.ofSeconds(120)),
                new Case("max-age=1", Duration.ofSeconds(60)),                  // under the minimum
                new Case("max-age=999999999", Duration.ofHours(2)),             // over the maximum
                new Case("no-cache", Duration.ofSeconds(60)),
                new Case("max-age=ten", Duration.ofSeconds(60)),                // unreadable: stale, so the minimum
                new Case(null, Duration.ofMinutes(5)))) {                       // silent: the default
            server.keys(c.cacheControl(), null, K1);
            Guard g = build(guard().keyCacheBounds(Duration.ofSeconds(60), Duration.ofHours(2)));
            g.refreshKeys();
            RemoteJwks.KeySet s = g.remoteKeys().current();
            assertThat(Duration.between(s.fetchedAt(), s.staleAt())).as(String.valueOf(c.cacheControl())).isEqualTo(c.expected());
        }
    }

    @Test
    void anEtagMakesTheRefreshConditionalAndA304KeepsTheSetAndItsVerifiedTokens() {
        server.keys("max-age=600", "\"v1\"", K1);
        Guard g = build(guard());
        String token = token(K1);
        authenticate(g, token);
        RemoteJwks.KeySet first = g.remoteKeys().current();
        advance(Duration.ofSeconds(480), g);
        assertThat(server.conditions).containsExactly("null", "\"v1\"");
        RemoteJwks.KeySet renewed = g.remoteKeys().current();
        assertThat(renewed.verifier()).isSameAs(first.verifier());
        assertThat(renewed.staleAt()).isEqualTo(Tokens.T0.plusSeconds(480 + 600));
        assertThat(g.cachedTokens()).as("an unchanged set keeps the cache").isEqualTo(1);
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodSet() {
        record Case(String name, JwksServer.Answer answer) {
        }
        for (Case c : List.of(
                new Case("a 500", new Raw(500, "text/plain", "oops".getBytes(StandardCharsets.UTF_8), true)),
                new Case("malformed JSON", new Raw(200, "application/json", "{\"keys\":[".getBytes(StandardCharsets.UTF_8), true)),
                new Case("a JSON array", new Raw(200, "application/json", "[]".getBytes(StandardCharsets.UTF_8), true)),
                new Case("a 2 MB key set", new Raw(200, "application/json", paddedKeySet(2 << 20), true)),
                new Case("a 2 MB key set without Content-Length", new Raw(200, "application/json", paddedKeySet(2 << 20), false)),
                new Case("a set whose only key has no alg", new JwksServer.Keys(Jwks.of(withoutAlg(K2)), null, null)))) {
            server.keys("max-age=600", null, K1);
            Guard g = build(guard());
            assertThat(g.refreshKeys()).isTrue();
            server.answer(c.answer());
            clock.advance(Duration.ofSeconds(600));
            assertThat(g.refreshKeys()).as(c.name() + ": the old set is still usable").isTrue();
            assertThat(authenticate(g, token(K1))).as(c.name()).isInstanceOf(Authenticated.class);
            clock.set(Tokens.T0);
        }
    }

    /** A valid key set holding K1, padded with JSON whitespace to {@code size} bytes: only the cap refuses it. */
    static byte[] paddedKeySet(int size) {
        byte[] json = Jwks.of(K1).toPublic().toJson().getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[size];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(json, 0, padded, 0, json.length);
        return padded;
    }

    @Test
    void aKeySetOverTheCapIsRefusedWhetherAnnouncedOrNot() {
        for (boolean announced : new boolean[] {true, false}) {
            server.answer(new Raw(200, "application/json", paddedKeySet(2 << 20), announced));
            Guard g = build(guard());
            assertThat(g.refreshKeys()).as("announced: " + announced).isFalse();
            assertRefused(authenticate(g, token(K1)), "The access token cannot be verified");
        }
        server.answer(new Raw(200, "application/json", paddedKeySet(60 * 1024), false));
        assertThat(build(guard()).refreshKeys()).as("under the cap").isTrue();
    }

    @Test
    void aServerSlowerThanTheReadTimeoutIsAFailedFetchNotAHungRequest() {
        server.answer(new Stall());
        Guard g = build(guard().timeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        assertRefused(authenticate(g, token(K1)), "The access token cannot be verified");
        server.release();
        server.keys(K1);
        clock.advance(Duration.ofSeconds(2)); // past the first backoff step
        assertThat(authenticate(g, token(K1))).as("recovers on the next attempt").isInstanceOf(Authenticated.class);
    }

    @Test
    void aKeyThatDisappearsFromTheSetNoLongerVerifiesEvenForCachedTokens() {
        server.keys("max-age=600", null, K1, K2);
        Guard g = build(guard());
        String signedByK2 = token(K2);
        assertThat(authenticate(g, signedByK2)).isInstanceOf(Authenticated.class);
        server.keys("max-age=600", null, K1);
        advance(Duration.ofSeconds(480), g);
        assertThat(g.cachedTokens()).as("a changed set empties the cache").isZero();
        assertRefused(authenticate(g, signedByK2), "The access token is signed with an unknown key");
        assertThat(authenticate(g, token(K1))).isInstanceOf(Authenticated.class);
    }

    @Test
    void aNewKidAfterRotationIsPickedUpByTheFirstTokenThatUsesIt() {
        Guard g = build(guard());
        authenticate(g, token(K1));
        server.keys("max-age=600", null, K1, K2);
        assertThat(authenticate(g, token(K2))).isInstanceOf(Authenticated.class);
        assertThat(server.keyRequests).hasValue(2);
    }

    @Test
    void aFloodOfUnknownKidsTriggersExactlyOneRefetchPerCooldown() {
        Guard g = build(guard());
        authenticate(g, token(K1));
        List<String> forged = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            forged.add(token(Tokens.UNKNOWN.withKid("forged-" + i)));
        }
        forged.forEach(t -> assertRefused(authenticate(g, t), "The access token is signed with an unknown key"));
        assertThat(server.keyRequests).hasValue(2);

        clock.advance(Duration.ofSeconds(29));
        forged.forEach(t -> authenticate(g, t));
        assertThat(server.keyRequests).as("within the cooldown").hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        forged.forEach(t -> authenticate(g, t));
        assertThat(server.keyRequests).as("the next cooldown").hasValue(3);
    }

    @Test
    void concurrentRequestsForAnUnknownKidWaitForOneFetch() throws Exception {
        Guard g = build(guard());
        authenticate(g, token(K1));
        server.keys("max-age=600", null, K1, K2);
        server.hold();
        String signedByK2 = token(K2);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<AuthResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> authenticate(g, signedByK2)));
            }
            Polling.until(() -> server.keyRequests.get() == 2);
            server.open();
            for (Future<AuthResult> r : results) {
                assertThat(r.get()).isInstanceOf(Authenticated.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.keyRequests).hasValue(2);
    }

    @Test
    void whileTheIssuerIsDownTheLastGoodSetServesUntilItsBoundThenEveryTokenIsRefused() {
        server.keys("max-age=60", null, K1);
        Guard g = build(guard().serveStaleKeysFor(Duration.ofMinutes(5)));
        String cached = token(K1);
        assertThat(authenticate(g, cached)).isInstanceOf(Authenticated.class);
        server.stop();

        advance(Duration.ofSeconds(60), g); // stale, and the refresh fails
        assertThat(authenticate(g, cached)).isInstanceOf(Authenticated.class);
        assertThat(authenticate(g, token(K1))).isInstanceOf(Authenticated.class);

        clock.set(Tokens.T0.plusSeconds(60 + 300).minusMillis(1));
        assertThat(authenticate(g, token(K1))).as("just inside the bound").isInstanceOf(Authenticated.class);

        clock.set(Tokens.T0.plusSeconds(60 + 300));
        assertRefused(authenticate(g, cached), "The access token cannot be verified");
        assertRefused(authenticate(g, token(K1)), "The access token cannot be verified");
    }

    @Test
    void anUnreachableIssuerIsLoggedOncePerBackoffStepNotPerRequest() {
        try (LogCapture log = new LogCapture(RemoteJwks.class)) {
            Guard g = build(guard());
            authenticate(g, token(K1));
            server.stop();
            clock.advance(LIFE);
            for (int step = 1; step <= 3; step++) {
                g.remoteKeys().maintain().join();
                for (int i = 0; i < 50; i++) {
                    assertThat(authenticate(g, token(K1))).isInstanceOf(Authenticated.class);
                }
                assertThat(log.at(Level.WARNING)).as("after attempt " + step).hasSize(step);
                g.remoteKeys().maintain().join();
                assertThat(log.at(Level.WARNING)).as("no attempt within the backoff").hasSize(step);
                clock.advance(Duration.ofSeconds(1L << (step - 1))); // 1 s, 2 s, 4 s
            }
            assertThat(log.at(Level.WARNING).get(2)).contains("Attempt 3", "next in 4 s", "serving the set fetched at");
        }
    }

    @Test
    void keysWithoutAlgAreNotUsedUnlessTheGuardNamesItsAlgorithms() {
        server.keys(withoutAlg(K1));
        Guard strict = build(guard());
        assertThat(strict.refreshKeys()).isFalse();
        assertRefused(authenticate(strict, token(K1)), "The access token cannot be verified");

        Guard named = build(guard().algorithms(Algorithm.RS256));
        assertThat(authenticate(named, token(K1))).isInstanceOf(Authenticated.class);
    }

    @Test
    void closingTheGuardReleasesARequestWaitingForAFetch() throws Exception {
        server.answer(new Stall());
        Guard g = build(guard());
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<AuthResult> waiting = caller.submit(() -> authenticate(g, token(K1)));
            Polling.until(() -> server.keyRequests.get() == 1);
            Instant before = Instant.now();
            g.close();
            assertRefused(waiting.get(), "The access token cannot be verified");
            // Without the release it would wait out its bound, 2 × (2 s + 5 s).
            assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
        } finally {
            caller.shutdownNow();
        }
    }
}
