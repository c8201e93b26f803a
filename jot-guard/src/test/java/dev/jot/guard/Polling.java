package dev.jot.guard;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a background thread: poll, with patience for a loaded two-core CI machine (far more than 5× what
 * any of these waits takes on an idle one). Timing itself is never asserted this way; the clock decides that.
 */
final class Polling {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Polling() {
    }

    static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("still not true after " + PATIENCE.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }

    static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name)).count();
    }
}
