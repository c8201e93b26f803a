package dev.jot.guard;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff: {@code first} after the first failure, doubling after each further one, never more than
 * {@code max}. With jitter the wait is drawn from the upper half of that step, so that many guards cut off by the
 * same outage do not all come back in the same instant.
 */
record Backoff(Duration first, Duration max) {

    Backoff {
        Objects.requireNonNull(first);
        Objects.requireNonNull(max);
        if (first.isNegative() || first.isZero() || first.compareTo(max) > 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max");
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    Duration step(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        Duration d = first.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 || d.isNegative() ? max : d;
    }

    /** {@link #step} with jitter: uniformly within its upper half. */
    Duration jittered(int failures) {
        long millis = step(failures).toMillis();
        long half = millis / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(millis - half + 1));
    }
}
