package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Jobs#soon}: a run shortly after an event, shared by the events of a moment, besides the job's period. */
class JobsTest {

    @Test
    void manyCallsOfSoonMakeOneExtraRunLongBeforeThePeriodComesRound() {
        AtomicInteger runs = new AtomicInteger();
        Jobs jobs = new Jobs().every("apply", Duration.ofHours(1), runs::incrementAndGet);
        jobs.soon("apply", Duration.ofMillis(50)); // before start: nothing is scheduled
        jobs.start(); // every job runs once at once
        awaitRuns(runs, 1);
        for (int i = 0; i < 20; i++) {
            jobs.soon("apply", Duration.ofMillis(200));
        }
        awaitRuns(runs, 2);
        jobs.close(); // cancels whatever else would be due
        assertThat(runs.get()).as("twenty calls within the delay share one run").isEqualTo(2);
        jobs.soon("apply", Duration.ZERO); // after close: nothing
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void closeLetsARunInProgressFinishUninterruptedAndDropsTheScheduledOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger soonRuns = new AtomicInteger();
        Jobs jobs = new Jobs().every("slow", Duration.ofHours(1), () -> {
            started.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                finished.incrementAndGet();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }).every("other", Duration.ofHours(1), soonRuns::incrementAndGet);
        jobs.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        jobs.soon("other", Duration.ZERO); // queued behind the slow run: dropped by the close
        Thread closer = new Thread(jobs::close);
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until close waits for the run in progress
        }
        assertThat(closer.getState()).isEqualTo(Thread.State.TIMED_WAITING);
        int before = soonRuns.get();
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closer.isAlive()).as("close returned").isFalse();
        assertThat(interrupted).as("the run was not interrupted").isFalse();
        assertThat(finished.get()).isEqualTo(1);
        assertThat(soonRuns.get()).as("nothing ran after the close").isEqualTo(before);
    }

    @Test
    void closeReturnsAtOnceWhenNoRunIsInProgress() {
        AtomicInteger runs = new AtomicInteger();
        Jobs jobs = new Jobs().every("hourly", Duration.ofHours(1), runs::incrementAndGet);
        jobs.start();
        awaitRuns(runs, 1); // the first run is over: the thread waits for the next, an hour away
        jobs.soon("hourly", Duration.ofMinutes(30));

        long start = System.nanoTime();
        jobs.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("close did not wait for a run due later").isLessThan(Jobs.FINISH);
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void soonNamesAJobThatExists() {
        assertThatThrownBy(() -> new Jobs().soon("nothing", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Polls (the schedule runs on the jobs' own thread) until {@code runs} reaches {@code n}, within 10 s. */
    private static void awaitRuns(AtomicInteger runs, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runs.get() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(runs.get()).as("runs within 10 s").isGreaterThanOrEqualTo(n);
    }
}
