package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.Jwks;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.keys.Rotation;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.keys.SigningKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signing-key rotation on one server, with a clock the test moves: a key is published before it signs, tokens from
 * before a rotation verify until they expire, then their key leaves the JWKS. Everything is asked over HTTP,
 * except what only the operator sees (a manual rotation's report).
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"h2", "postgres"})
class KeyRotationTest {
    static final Instant T0 = Instant.parse("2031-03-01T00:00:00Z");
    static final Duration PERIOD = Duration.ofDays(30);
    static final Duration TTL = Duration.ofMinutes(15);
    /** The maintenance thread looks every second; a change it makes shows within this (generously). */

    @Parameter
    String database;
    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    TestDatabase db;
    ServerConfig config;
    Instance jot;

    @BeforeEach
    void database() {
        db = TestDatabase.create(database);
        config = db.applyTo(TestConfigs.base(dataDir).accessTokenTtl(TTL).keyRotation(PERIOD)).build();
    }

    @AfterEach
    void stop() {
        if (jot != null) {
            jot.close();
        }
        db.close();
    }

    void start() {
        jot = Instance.start(config, clock);
        jot.register("ada");
    }

    @Test
    void aNextKeyIsPublishedSoonAfterTheStartButDoesNotSignYet() {
        start();
        String active = jot.signingKid("ada");
        String next = awaitNextKey();

        assertThat(next).isNotEqualTo(active);
        assertThat(jot.publishedKids()).containsExactly(active, next);
        assertThat(jot.signingKid("ada")).isEqualTo(active);
        assertThat(jot.jwksResponse().headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=" + SigningKeys.JWKS_MAX_AGE.toSeconds());
    }

    @Test
    void tokensFromBeforeARotationVerifyUntilTheyExpireThenTheirKeyLeavesTheJwks() {
        start();
        String a = jot.signingKid("ada");
        String b = awaitNextKey();
        clock.advance(PERIOD.minusMinutes(1));
        String old = jot.token("ada");
        Instant exp = clock.instant().plus(TTL);

        clock.advance(Duration.ofMinutes(1)); // the rotation is due
        awaitSigningKid(b);
        Instant rotatedAt = clock.instant();
        assertThat(Instance.kid(old)).isEqualTo(a);
        assertThat(jot.me(old)).isEqualTo("200");
        assertThat(jot.publishedKids()).hasSize(3).startsWith(b).contains(a);

        clock.set(exp.minusSeconds(1));
        assertThat(jot.me(old)).as("a token of the retired key just before its exp").isEqualTo("200");
        clock.set(exp.plus(JwtVerifier.DEFAULT_CLOCK_SKEW).plusSeconds(1));
        assertThat(jot.me(old)).as("expired, its key still published").isEqualTo("401 token_expired");
        assertThat(jot.publishedKids()).contains(a);

        clock.set(rotatedAt.plus(TTL).plus(SigningKeys.RETIRED_LINGER).plusSeconds(1));
        assertThat(jot.publishedKids()).as("every token of the retired key has expired").hasSize(2).doesNotContain(a);
        assertThat(jot.me(old)).isEqualTo("401 token_invalid");
        assertThatThrownBy(() -> verifier(jot.jwks()).verify(old)).isInstanceOf(JwtException.class)
                .extracting(e -> ((JwtException) e).code()).isEqualTo(JwtException.Code.KEY_NOT_FOUND);
    }

    @Test
    void aVerifierHoldingThePreviousJwksNeverMeetsAnUnknownKid() {
        start();
        awaitNextKey();
        for (int n = 1; n <= 3; n++) {
            Instant due = T0.plus(PERIOD.multipliedBy(n)); // each rotation happens the moment it is due
            clock.set(due.minus(SigningKeys.JWKS_MAX_AGE));
            Jwks oldestCacheAllowed = jot.jwks();
            clock.set(due.minusSeconds(1));
            Jwks justBefore = jot.jwks();
            String before = jot.token("ada");

            clock.set(due);
            awaitSigningKid(kid -> !kid.equals(Instance.kid(before)));
            String fresh = jot.token("ada");

            for (Jwks cached : new Jwks[] {oldestCacheAllowed, justBefore}) {
                assertThat(cached.find(Instance.kid(fresh))).as("rotation %d: fresh kid in a cached JWKS", n).isPresent();
                assertThat(verifier(cached).verify(fresh).claims().getString("preferred_username")).hasValue("ada");
            }
            assertThat(verifier(jot.jwks()).verify(before).header().kid()).isEqualTo(Instance.kid(before));
        }
    }

    @Test
    void anOverdueRotationWaitsUntilTheNewNextKeyHasBeenPublishedForTheJwksMaxAge() {
        start();
        String a = jot.signingKid("ada");
        awaitNextKey();
        jot.close();
        jot = null;
        // As a database from before key lifecycles (or a next key that could not be made): no next key.
        Instance.sql(config, "DELETE FROM signing_keys WHERE status = 'next'");
        clock.advance(PERIOD.plusDays(1));

        start2();
        String c = awaitNextKey();
        stillSigningWith(a);
        clock.advance(SigningKeys.MIN_PUBLISHED.minusSeconds(1));
        stillSigningWith(a);
        clock.advance(Duration.ofSeconds(1));
        awaitSigningKid(c);
    }

    @Test
    void aManualRotationMayPromoteAYoungNextKeyAndSaysSo() {
        start();
        String a = jot.signingKid("ada");
        String b = awaitNextKey();
        clock.advance(Duration.ofSeconds(10));

        Rotation early = jot.keys().rotateNow();
        assertThat(early).isEqualTo(new Rotation(a, b, early.nextKid(), Duration.ofSeconds(10)));
        assertThat(early.early()).isTrue();
        assertThat(jot.signingKid("ada")).isEqualTo(b);
        assertThat(jot.publishedKids()).containsExactly(b, early.nextKid(), a);

        clock.advance(SigningKeys.MIN_PUBLISHED);
        Rotation onTime = jot.keys().rotateNow();
        assertThat(onTime.early()).isFalse();
        assertThat(onTime.activeKid()).isEqualTo(early.nextKid());
        assertThat(jot.server.services().audit().repository().recent(10).stream()
                .filter(e -> e.event().equals(AuditEvent.KEY_ROTATED)).map(AuditEvent::detail))
                .containsExactly(onTime.activeKid(), b);
    }

    @Test
    void aRestartedServerKeepsPublishingTheRetiredKeyUntilItsTokensExpire() {
        start();
        String a = jot.signingKid("ada");
        awaitNextKey();
        clock.advance(SigningKeys.MIN_PUBLISHED);
        String old = jot.token("ada");
        jot.keys().rotateNow();
        jot.close();

        clock.advance(TTL.minusMinutes(1));
        start2();
        assertThat(jot.publishedKids()).contains(a);
        assertThat(jot.me(old)).isEqualTo("200");
    }

    @Test
    void aReloadThatFindsNothingNewKeepsTheRingAndTheGuardMadeFromIt() {
        start();
        awaitNextKey();
        java.util.function.Supplier<Object> guard = jot.keys().derived(ring -> new Object());
        Object first = guard.get();

        jot.server.services().events().resyncAll();
        jot.keys().reload();
        assertThat(guard.get()).as("same ring: the verified-token cache survives").isSameAs(first);

        clock.advance(SigningKeys.MIN_PUBLISHED);
        jot.keys().rotateNow();
        assertThat(guard.get()).as("a new ring, a new guard").isNotSameAs(first);
    }

    @Test
    void changingTheSigningAlgorithmSwitchesAtOnceAndTokensOfTheOldKeepVerifying() {
        start();
        String rs256 = jot.token("ada");
        String unusedNext = awaitNextKey();
        jot.close();
        config = db.applyTo(TestConfigs.base(dataDir).accessTokenTtl(TTL).keyRotation(PERIOD)
                .signingAlg(Algorithm.ES256)).build();

        start2();
        String es256 = jot.token("ada");
        assertThat(dev.jot.jwt.Unverified.decode(es256).header()).containsEntry("alg", "ES256");
        assertThat(jot.me(rs256)).isEqualTo("200");
        assertThat(jot.me(es256)).isEqualTo("200");
        String next = awaitNextKey();
        assertThat(next).isNotIn(Instance.kid(es256), Instance.kid(rs256), unusedNext);
        assertThat(jot.publishedKids()).as("the RS256 key that never signed is withdrawn")
                .containsExactly(Instance.kid(es256), next, Instance.kid(rs256));
        assertThat(jot.keys().ring().algorithms()).containsExactlyInAnyOrder(Algorithm.ES256, Algorithm.RS256);
    }

    @Test
    void hs256HasNoRotationAndPublishesNoKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        config = db.applyTo(TestConfigs.base(dataDir).keyRotation(PERIOD).signingAlg(Algorithm.HS256).hmacSecret(secret))
                .build();
        start();
        String kid = jot.signingKid("ada");

        assertThatThrownBy(() -> jot.keys().rotateNow()).isInstanceOf(ServerException.class)
                .hasMessageContaining("HS256").extracting(e -> ((ServerException) e).error().cliCode()).isEqualTo("NO_ROTATION");
        clock.advance(PERIOD.multipliedBy(2));
        stillSigningWith(kid);
        assertThat(jot.publishedKids()).isEmpty();
    }

    private void start2() {
        jot = Instance.start(config, clock);
    }

    private String awaitNextKey() {
        return jot.nextKey();
    }

    /** After a maintenance run (which rotates when due by the test's clock), fresh tokens carry {@code kid}. */
    private void awaitSigningKid(String kid) {
        awaitSigningKid(kid::equals);
    }

    private void awaitSigningKid(java.util.function.Predicate<String> kid) {
        jot.maintainKeys();
        assertThat(jot.signingKid("ada")).matches(kid);
    }

    /** Nothing rotates in a few maintenance runs. */
    private void stillSigningWith(String kid) {
        for (int run = 0; run < 3; run++) {
            jot.maintainKeys();
            assertThat(jot.signingKid("ada")).isEqualTo(kid);
        }
    }

    private JwtVerifier verifier(Jwks jwks) {
        return JwtVerifier.builder().keys(jwks).algorithms(Algorithm.RS256).issuer(TestConfigs.ISSUER)
                .audience(TestConfigs.ISSUER).type("at+jwt").clock(clock).build();
    }
}
