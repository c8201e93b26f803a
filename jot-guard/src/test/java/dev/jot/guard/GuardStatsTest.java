package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Guard#stats()}: the counters a server's metrics read. */
class GuardStatsTest {

    final Tokens tokens = new Tokens();

    @Test
    void cacheHitsAndMissesAreCountedPerRequest() {
        Guard guard = tokens.guard().build();
        String ada = tokens.valid("ada");
        guard.authenticate(FakeRequest.bearer(ada));
        guard.authenticate(FakeRequest.bearer(ada));
        guard.authenticate(FakeRequest.bearer(ada));
        guard.authenticate(FakeRequest.bearer(tokens.valid("bob")));
        GuardStats s = guard.stats();
        assertThat(s.cacheHits()).isEqualTo(2);
        assertThat(s.cacheMisses()).isEqualTo(2);
        assertThat(s.cachedTokens()).isEqualTo(2);
        assertThat(s.keyFetches()).as("fixed keys: nothing fetched").isZero();
        assertThat(s.feedInSync()).as("no feed").isEmpty();
        assertThat(s.rateBuckets()).isZero();
    }

    @Test
    void rateBucketsAreCountedAndForgottenOnceIdleForAMinute() {
        Guard guard = tokens.guard().rateLimits(RateLimits.fromTokens()).build();
        for (String sub : new String[] {"ada", "bob"}) {
            guard.authenticate(FakeRequest.bearer(tokens.sign(Tokens.TRUSTED,
                    c -> c.subject(sub).claim("jot_limits", Map.of("minute", 10L)))));
        }
        assertThat(guard.stats().rateBuckets()).isEqualTo(2);
        tokens.clock.advance(Duration.ofMinutes(2));
        guard.authenticate(FakeRequest.bearer(tokens.sign(Tokens.TRUSTED,
                c -> c.subject("cy").claim("jot_limits", Map.of("minute", 10L)))));
        assertThat(guard.stats().rateBuckets()).isOne();
    }

    @Test
    void aGuardForARealIssuerCountsItsKeyFetches() throws Exception {
        try (JwksServer issuer = new JwksServer(RemoteKeysTest.K1)) {
            issuer.keys("max-age=300", "\"1\"", RemoteKeysTest.K1);
            try (Guard remote = Guard.forIssuer(issuer.issuer()).audience("orders-api").build()) {
                assertThat(remote.refreshKeys()).isTrue();
                assertThat(remote.stats().keyFetches()).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
