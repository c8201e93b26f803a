package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.audit.AuditEvent;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.keys.Rotation;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.keys.SigningKeys;
import dev.jot.server.store.ClusterEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances on one database (and one data directory, for the master key): they agree on the signing key, a
 * rotation anywhere reaches the other, and instances deciding to rotate at once rotate once.
 *
 * <p>On PostgreSQL a change reaches the other instance by NOTIFY: the bound asserted is {@link #NOTIFY_BOUND}. On
 * H2 (one process per database file in production; here two servers in one JVM share it) there is no NOTIFY, and
 * the bound is the resync period plus the same margin.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"h2", "postgres"})
class ClusterKeysTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterKeysTest.class);
    static final Instant T0 = Instant.parse("2031-03-01T00:00:00Z");
    static final Duration PERIOD = Duration.ofDays(30);
    static final Duration NOTIFY_BOUND = Duration.ofSeconds(2);

    @Parameter
    String database;
    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    TestDatabase db;
    ServerConfig config;
    Instance one;
    Instance two;

    @BeforeEach
    void database() {
        db = TestDatabase.create(database);
        config = db.applyTo(TestConfigs.base(dataDir).keyRotation(PERIOD)).build();
    }

    @AfterEach
    void stop() {
        for (Instance i : new Instance[] {one, two}) {
            if (i != null) {
                i.close();
            }
        }
        db.close();
    }

    /** How soon the other instance must have the change. */
    Duration bound() {
        return db.isPostgres() ? NOTIFY_BOUND : ClusterEvents.RESYNC_EVERY.plus(NOTIFY_BOUND);
    }

    void startBoth() {
        one = Instance.start(config, clock);
        two = Instance.start(config, clock);
        one.register("ada");
    }

    @Test
    void twoInstancesStartingTogetherOnAnEmptyDatabaseAgreeOnOneActiveKey() {
        var a = CompletableFuture.supplyAsync(() -> Instance.start(config, clock));
        var b = CompletableFuture.supplyAsync(() -> Instance.start(config, clock));
        one = a.join();
        two = b.join();
        one.register("ada");

        assertThat(two.signingKid("ada")).isEqualTo(one.signingKid("ada"));
        String next = awaitSameNextKey();
        assertThat(one.publishedKids()).containsExactly(one.signingKid("ada"), next);
        assertThat(statusCounts()).isEqualTo(Map.of("active", 1L, "next", 1L));
    }

    @Test
    void aRotationOnOneInstanceReachesTheOtherWithinTheBound() {
        startBoth();
        awaitSameNextKey();
        clock.advance(SigningKeys.MIN_PUBLISHED);

        Rotation r = one.keys().rotateNow();
        String fresh = one.token("ada");
        assertThat(Instance.kid(fresh)).isEqualTo(r.activeKid());
        assertThat(two.me(fresh)).as("the other instance published the new key before it signed").isEqualTo("200");

        Duration took = Instance.await(bound(), "the other instance signs with the new key",
                () -> two.signingKid("ada").equals(r.activeKid()));
        assertThat(two.publishedKids()).containsExactly(r.activeKid(), r.nextKid(), r.retiredKid());
        LOG.info("On {}: the other instance signed with the new key after {} ms", database, took.toMillis());
    }

    @Test
    void aRotationByTheAdminEntryPointReachesARunningServerWithinTheBound() {
        startBoth();
        String before = one.signingKid("ada");

        Rotation r;
        try (Admin admin = Admin.open(config, clock)) {
            r = admin.rotateKeys();
        }
        assertThat(r.retiredKid()).isEqualTo(before);
        for (Instance i : List.of(one, two)) {
            Instance.await(bound(), "a running server signs with the key the admin promoted",
                    () -> i.signingKid("ada").equals(r.activeKid()));
            assertThat(i.publishedKids()).contains(r.nextKid(), before);
        }
    }

    @Test
    void twoInstancesFindingTheRotationDueAtOnceRotateOnce() {
        startBoth();
        String next = awaitSameNextKey();

        clock.advance(PERIOD);
        for (Instance i : List.of(one, two)) {
            i.maintainKeys();
        }
        for (Instance i : List.of(one, two)) {
            Instance.await(bound(), "the scheduled rotation", () -> i.signingKid("ada").equals(next));
        }
        for (int run = 0; run < 3; run++) { // a few more maintenance runs on both
            one.maintainKeys();
            two.maintainKeys();
        }
        assertThat(rotationsAudited()).isEqualTo(1);
        assertThat(statusCounts()).isEqualTo(Map.of("active", 1L, "next", 1L, "retired", 1L));
    }

    @Test
    void concurrentManualRotationsNeverMakeTwoActiveKeys() throws Exception {
        startBoth();
        awaitSameNextKey();
        int rounds = 8;
        List<String> outcomes = new ArrayList<>();
        for (int n = 0; n < rounds; n++) {
            CyclicBarrier together = new CyclicBarrier(2);
            var a = CompletableFuture.supplyAsync(() -> rotateAt(together, one));
            var b = CompletableFuture.supplyAsync(() -> rotateAt(together, two));
            outcomes.add(a.get());
            outcomes.add(b.get());
            assertThat(statusCounts()).containsEntry("active", 1L).containsEntry("next", 1L);
            for (Instance i : List.of(one, two)) {
                i.keys().reload();
            }
            assertThat(one.keys().ring().activeKid()).isEqualTo(two.keys().ring().activeKid());
        }
        long rotated = outcomes.stream().filter("rotated"::equals).count();
        assertThat(outcomes).containsOnly("rotated", ServerError.ROTATION_CONFLICT.cliCode());
        assertThat(rotated).isBetween((long) rounds, 2L * rounds);
        assertThat(rotationsAudited()).isEqualTo(rotated);
        assertThat(statusCounts()).containsEntry("retired", rotated);
        LOG.info("On {}: {} of {} simultaneous rotations lost the race", database, 2 * rounds - rotated, 2 * rounds);
    }

    private static String rotateAt(CyclicBarrier together, Instance i) {
        try {
            together.await();
            i.keys().rotateNow();
            return "rotated";
        } catch (ServerException e) {
            return e.error().cliCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String awaitSameNextKey() {
        one.maintainKeys();
        two.maintainKeys(); // publishes its own next key only if it has not heard of the first's: one wins
        Instance.await(bound(), "both instances publish the same next key", () -> {
            var n1 = one.keys().ring().nextKid();
            return n1.isPresent() && n1.equals(two.keys().ring().nextKid())
                    && one.publishedKids().contains(n1.get()) && two.publishedKids().contains(n1.get());
        });
        return one.keys().ring().nextKid().orElseThrow();
    }

    private Map<String, Long> statusCounts() {
        return one.server.services().database().jdbi().withHandle(h -> h
                .createQuery("SELECT status FROM signing_keys").mapTo(String.class).list()).stream()
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    }

    private long rotationsAudited() {
        return one.server.services().audit().repository().recent(1_000).stream()
                .filter(e -> e.event().equals(AuditEvent.KEY_ROTATED)).count();
    }
}
