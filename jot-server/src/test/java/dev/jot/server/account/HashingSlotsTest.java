package dev.jot.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.config.Argon2Params;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Admission control for password hashing (issue 10): slots, a bounded queue, a deadline, clients that left. */
class HashingSlotsTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private HashingSlots slots;

    @AfterEach
    void stop() {
        release.countDown();
        if (slots != null) {
            slots.close();
        }
    }

    @ParameterizedTest(name = "{0} cores, {1} MiB for {2} KiB each: {3}")
    @CsvSource({"2, 256, 19456, 2", "16, 256, 19456, 13", "8, 64, 65536, 1", "4, 1, 19456, 1", "1, 1024, 1024, 1"})
    void concurrencyIsOnePerCoreWithinTheMemoryBudget(int cores, int budgetMiB, int memoryKiB, int expected) {
        assertThat(HashingSlots.concurrencyFor(cores, budgetMiB, memoryKiB)).isEqualTo(expected);
    }

    @Test
    void whenEverySlotAndQueuePlaceIsTakenTheNextIsRefusedAtOnceAs503() throws Exception {
        slots = new HashingSlots(1, 1, Duration.ofSeconds(30));
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> running = callers.submit(() -> slots.run(this::blocked, () -> true));
            awaitQueued(1, 0);
            Future<String> queued = callers.submit(() -> slots.run(() -> "second", () -> true));
            awaitQueued(1, 1);

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> slots.run(() -> "third", () -> true))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.error()).isEqualTo(ServerError.SERVER_BUSY);
                        assertThat(e.retryAfter()).isPresent();
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused without waiting").isLessThan(Duration.ofSeconds(1));
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("second");
            assertThat(slots.refused()).isEqualTo(1);
        }
    }

    @Test
    void aQueuedRequestWhoseClientHasGoneIsDroppedNotRun() throws Exception {
        slots = new HashingSlots(1, 4, Duration.ofSeconds(30));
        AtomicBoolean present = new AtomicBoolean(true);
        AtomicBoolean ran = new AtomicBoolean();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> running = callers.submit(() -> slots.run(this::blocked, () -> true));
            awaitQueued(1, 0);
            Future<String> abandoned = callers.submit(() -> slots.run(() -> {
                ran.set(true);
                return "nobody waits for this";
            }, present::get));
            awaitQueued(1, 1);
            present.set(false); // the client closes its connection while queued
            release.countDown();

            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(abandoned).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOfSatisfying(ServerException.class,
                            e -> assertThat(e.error()).isEqualTo(ServerError.SERVER_BUSY));
            assertThat(ran).isFalse();
            assertThat(slots.dropped()).isEqualTo(1);
        }
    }

    @Test
    void aRequestThatWaitedPastItsDeadlineGets503AndIsNotRun() throws Exception {
        slots = new HashingSlots(1, 4, Duration.ofSeconds(1));
        AtomicBoolean ran = new AtomicBoolean();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> running = callers.submit(() -> slots.run(this::blocked, () -> true));
            awaitQueued(1, 0);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> slots.run(() -> {
                ran.set(true);
                return "late";
            }, () -> true)).isInstanceOfSatisfying(ServerException.class,
                    e -> assertThat(e.error()).isEqualTo(ServerError.SERVER_BUSY));
            // 1 s deadline; 5 s for a loaded 2-core machine
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(ran).isFalse();
        }
    }

    /**
     * A failed check against a hash made with cheaper, older parameters takes as long as a hash at the current
     * ones, so an old account is not told apart from an unknown name by its speed (measured: 1 ms vs 20+ ms).
     */
    @Test
    void aFailedCheckAgainstAnOlderCheaperHashTakesTheTimeOfACurrentOne() {
        PasswordHasher old = new PasswordHasher(new Argon2Params(64, 1, 1));
        PasswordHasher current = new PasswordHasher(new Argon2Params(16 * 1024, 3, 1));
        String oldHash = old.hash("the right password");
        String dummy = current.unmatchableHash();
        for (int i = 0; i < 3; i++) { // warm up, and measure the current cost
            current.verify("warm up", dummy);
        }
        long unknown = median(() -> current.verify("a wrong password", dummy));
        long oldUser = median(() -> current.verify("a wrong password", oldHash));
        long cheap = median(() -> old.verify("a wrong password", oldHash));

        assertThat(cheap).as("the old parameters are far cheaper").isLessThan(unknown / 4);
        assertThat(oldUser).as("but a failure against them is padded").isGreaterThan(unknown / 2);
    }

    private static long median(Runnable r) {
        long[] t = new long[7];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }

    private String blocked() throws InterruptedException {
        release.await();
        return "first";
    }

    private void awaitQueued(int running, int queued) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && (active() < running || waiting() < queued)) {
            Thread.sleep(5);
        }
        assertThat(active()).isEqualTo(running);
        assertThat(waiting()).isEqualTo(queued);
    }

    private int active() {
        return slots.activeCount();
    }

    private int waiting() {
        return slots.waitingCount();
    }
}
