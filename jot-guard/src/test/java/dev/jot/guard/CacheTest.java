package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Claims;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The verified-token cache: hits skip verification, entries die with the token, revocation and forgery win. */
class CacheTest {

    private final Tokens tokens = new Tokens();

    @Test
    void theSecondRequestWithTheSameTokenIsServedFromTheCacheWithoutVerifying() {
        Guard guard = tokens.guard().build();
        String token = tokens.valid("ada");
        Authenticated first = (Authenticated) guard.authenticate(FakeRequest.bearer(token));
        Authenticated second = (Authenticated) guard.authenticate(FakeRequest.bearer(token));
        assertThat(tokens.verifications).hasValue(1);
        assertThat(second.jwt()).isSameAs(first.jwt());
        assertThat(guard.cachedTokens()).isEqualTo(1);
    }

    @Test
    void aTokenReachedThroughAnotherSourceIsTheSameCacheEntry() {
        Guard guard = tokens.guard().sources(TokenSource.bearer(), TokenSource.cookie("token")).build();
        String token = tokens.valid("ada");
        guard.authenticate(FakeRequest.bearer(token));
        assertThat(guard.authenticate(FakeRequest.empty().cookie("token", token))).isInstanceOf(Authenticated.class);
        assertThat(tokens.verifications).hasValue(1);
    }

    @Test
    void withCacheSizeZeroEveryRequestIsVerified() {
        Guard guard = tokens.guard().cacheSize(0).build();
        String token = tokens.valid("ada");
        for (int i = 0; i < 3; i++) {
            assertThat(guard.authenticate(FakeRequest.bearer(token))).isInstanceOf(Authenticated.class);
        }
        assertThat(tokens.verifications).hasValue(3);
        assertThat(guard.cachedTokens()).isZero();
    }

    @Test
    void anEntryServesUntilJustBeforeExpAndTheVerifierAloneDecidesFromExpOn() {
        Guard guard = tokens.guard().build();
        String token = tokens.valid("ada"); // exp = T0 + 15 min; the verifier allows 60 s of skew
        Instant exp = Tokens.T0.plus(Duration.ofMinutes(15));
        guard.authenticate(FakeRequest.bearer(token));

        tokens.clock.set(exp.minusMillis(1));
        assertThat(guard.authenticate(FakeRequest.bearer(token))).isInstanceOf(Authenticated.class);
        assertThat(tokens.verifications).as("hit just before exp").hasValue(1);

        tokens.clock.set(exp);
        assertThat(guard.authenticate(FakeRequest.bearer(token))).isInstanceOf(Authenticated.class);
        assertThat(guard.authenticate(FakeRequest.bearer(token))).isInstanceOf(Authenticated.class);
        assertThat(tokens.verifications).as("within the skew: verified each time, never re-cached").hasValue(3);
        assertThat(guard.cachedTokens()).isZero();

        tokens.clock.set(exp.plusSeconds(61));
        assertThat(guard.authenticate(FakeRequest.bearer(token)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo("token_expired"));
    }

    @Test
    void tokensWithoutExpAreNeverCached() {
        Tokens lenient = new Tokens(b -> b.requireExpiration(false));
        Guard guard = lenient.guard().build();
        String token = Tokens.signExactly(Tokens.TRUSTED, Claims.builder().issuer(Tokens.ISSUER).subject("ada").build());
        guard.authenticate(FakeRequest.bearer(token));
        assertThat(guard.authenticate(FakeRequest.bearer(token))).isInstanceOf(Authenticated.class);
        assertThat(lenient.verifications).hasValue(2);
        assertThat(guard.cachedTokens()).isZero();
    }

    @Test
    void revocationWinsOverACachedEntryAndDropsIt() {
        Set<String> revoked = ConcurrentHashMap.newKeySet();
        AtomicInteger asked = new AtomicInteger();
        Guard guard = tokens.guard().revocationCheck(jwt -> {
            asked.incrementAndGet();
            return revoked.contains(jwt.claims().jwtId().orElseThrow());
        }).build();
        String token = tokens.valid("ada");
        Authenticated auth = (Authenticated) guard.authenticate(FakeRequest.bearer(token));
        guard.authenticate(FakeRequest.bearer(token));
        assertThat(asked).as("asked on the miss and on the hit").hasValue(2);

        revoked.add(auth.jwt().claims().jwtId().orElseThrow());
        assertThat(guard.authenticate(FakeRequest.bearer(token))).isEqualTo(new Rejected(AuthResult.Reason.TOKEN_INVALID,
                Rejections.REVOKED, "Bearer realm=\"jot\", error=\"invalid_token\", error_description=\""
                        + Rejections.REVOKED + "\""));
        assertThat(guard.cachedTokens()).isZero();
        assertThat(tokens.verifications).as("the revoked request was a cache hit").hasValue(1);
        assertThat(guard.authenticate(FakeRequest.bearer(token))).as("and stays refused").isInstanceOf(Rejected.class);
    }

    @Test
    void forgedTokensNeverEnterTheCacheAndAreVerifiedEveryTime() {
        Guard guard = tokens.guard().build();
        String forged = tokens.sign(Tokens.FORGER, c -> c.subject("admin"));
        for (int i = 0; i < 5; i++) {
            assertThat(guard.authenticate(FakeRequest.bearer(forged))).isInstanceOf(Rejected.class);
        }
        assertThat(tokens.verifications).hasValue(5);
        assertThat(guard.cachedTokens()).isZero();
    }

    @Test
    void aForgedSignatureOnACachedTokensHeaderAndPayloadIsStillRejected() {
        Guard guard = tokens.guard().build();
        String token = tokens.valid("ada");
        guard.authenticate(FakeRequest.bearer(token));
        assertThat(guard.authenticate(FakeRequest.bearer(Tokens.forge(token))))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.description()).contains("signature"));
        assertThat(guard.cachedTokens()).isEqualTo(1);
    }

    @Test
    void expiredTokensAreNotCached() {
        Guard guard = tokens.guard().build();
        String token = tokens.valid("ada");
        tokens.clock.advance(Duration.ofMinutes(20));
        guard.authenticate(FakeRequest.bearer(token));
        guard.authenticate(FakeRequest.bearer(token));
        assertThat(tokens.verifications).hasValue(2);
        assertThat(guard.cachedTokens()).isZero();
    }

    @Test
    void theCacheNeverHoldsMoreThanItsSizeAndKeepsAuthenticating() {
        Guard guard = tokens.guard().cacheSize(8).build();
        for (int i = 0; i < 100; i++) {
            assertThat(guard.authenticate(FakeRequest.bearer(tokens.valid("u" + i)))).isInstanceOf(Authenticated.class);
            assertThat(guard.cachedTokens()).isLessThanOrEqualTo(8);
        }
        assertThat(guard.cachedTokens()).isPositive();
    }

    @Test
    void evictionDropsExpiredEntriesBeforeLiveOnes() {
        Guard guard = tokens.guard().cacheSize(4).build();
        for (int i = 0; i < 3; i++) {
            guard.authenticate(FakeRequest.bearer(tokens.sign(Tokens.TRUSTED, c -> c.expiresAt(Tokens.T0.plusSeconds(10)))));
        }
        String live = tokens.valid("ada");
        guard.authenticate(FakeRequest.bearer(live));
        tokens.clock.advance(Duration.ofSeconds(30));
        guard.authenticate(FakeRequest.bearer(tokens.valid("bob"))); // full: makes room
        int before = tokens.verifications.get();
        guard.authenticate(FakeRequest.bearer(live));
        assertThat(tokens.verifications).as("the live entry survived eviction").hasValue(before);
        assertThat(guard.cachedTokens()).isEqualTo(2);
    }

    @Test
    void cacheKeysAreDigestsThatDifferForTokensDifferingInOneCharacter() {
        String token = tokens.valid("ada");
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf(token);
        assertThat(VerifiedTokenCache.keyOf(token)).isEqualTo(key);
        assertThat(VerifiedTokenCache.keyOf(Tokens.forge(token))).isNotEqualTo(key);
        assertThat(key.toString()).doesNotContain(token.substring(0, 8));
    }

    @Test
    void manyThreadsGetCorrectAnswersAndEachTokenIsVerifiedOnlyAFewTimes() throws Exception {
        Guard guard = tokens.guard().build();
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            valid.add(tokens.valid("u" + i));
        }
        List<String> forged = valid.stream().limit(10).map(Tokens::forge).toList();
        int threads = 8;
        int rounds = 400;
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    int n = (i * 7 + seed * 13) % 50;
                    boolean shouldPass = n < 40;
                    String token = shouldPass ? valid.get(n) : forged.get(n - 40);
                    AuthResult r = guard.authenticate(FakeRequest.bearer(token));
                    if (r instanceof Authenticated a != shouldPass
                            || r instanceof Authenticated a2 && !a2.jwt().claims().subject().orElseThrow().equals("u" + n)) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        int forgedRequests = threads * rounds / 5; // one in five requests carries a forged token
        assertThat(wrong).hasValue(0);
        assertThat(guard.cachedTokens()).isEqualTo(40);
        assertThat(tokens.verifications.get() - forgedRequests).as("verifications of valid tokens")
                .isBetween(40, 40 * threads);
    }

    @Test
    void aSmallCacheUnderConcurrentInsertionStaysNearItsBound() throws Exception {
        Guard guard = tokens.guard().cacheSize(16).build();
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            valid.add(tokens.valid("u" + i));
        }
        int threads = 8;
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    if (!(guard.authenticate(FakeRequest.bearer(valid.get((i + seed * 25) % 200))) instanceof Authenticated)) {
                        refused.incrementAndGet();
                    }
                    maxSeen.accumulateAndGet(guard.cachedTokens(), Math::max);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(refused).hasValue(0);
        assertThat(maxSeen.get()).isLessThanOrEqualTo(16 + threads);
    }
}
