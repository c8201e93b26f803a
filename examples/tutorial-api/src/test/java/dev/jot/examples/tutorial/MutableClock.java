package dev.jot.examples.tutorial;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The Jot server's clock, moved by the test: tokens issued "an hour ago" are expired for the API's real clock. */
final class MutableClock extends Clock {
    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    void set(Instant t) {
        now = t;
    }

    /** Runs {@code action} with this clock {@code ago} in the past, then follows the real time again. */
    <T> T inThePast(Duration ago, java.util.function.Supplier<T> action) {
        set(Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS));
        try {
            return action.get();
        } finally {
            set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
