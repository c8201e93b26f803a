package dev.jot.guard.usage;

import java.util.Objects;

/** How many requests a guard refused for one reason (an {@code AuthResult.Reason}'s code) in one minute. */
public record RejectedCount(long minute, String reason, long count) {
    public RejectedCount {
        if (minute % 60 != 0) {
            throw new IllegalArgumentException("minute is not the start of a minute: " + minute);
        }
        Objects.requireNonNull(reason);
        if (count < 0) {
            throw new IllegalArgumentException("count < 0");
        }
    }
}
