package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How long until something becomes true, polled every few milliseconds. Issue 14's target for a logout to reach a
 * resource server is 1 s; a test allows a loaded two-core CI machine five times that ({@link #REVOCATION_BOUND})
 * and logs the value it measured, the strict figure being the benchmark's ({@code bench/revocation.sh}).
 */
final class Latency {
    static final Duration TARGET = Duration.ofSeconds(1);
    static final Duration REVOCATION_BOUND = TARGET.multipliedBy(5);
    /** Patience for things that take seconds on a loaded machine (a JVM start, a reconnect's backoff). */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private Latency() {
    }

    /** Milliseconds until {@code condition} held; fails after {@code patience}. */
    static long until(Duration patience, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("still not true after " + patience.toMillis() + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
