package dev.jot.guard.usage;

import java.util.Objects;

/** How many requests one key made in one minute. */
public record UsageCount(Key key, long count) {

    public UsageCount {
        Objects.requireNonNull(key);
        if (count < 0) {
            throw new IllegalArgumentException("count < 0");
        }
    }

    /**
     * What a request is counted under. {@code minute} is epoch seconds of the minute's start; {@code clientId} and
     * {@code audience} are null when the token has none; {@code route} is the route template ({@code /orders/{id}}),
     * never the raw path; {@code status} is the answer's class: {@code 2xx}…{@code 5xx}.
     */
    public record Key(long minute, String subject, String clientId, String audience, String route, String status) {
        public Key {
            if (minute % 60 != 0) {
                throw new IllegalArgumentException("minute is not the start of a minute: " + minute);
            }
            Objects.requireNonNull(subject);
            Objects.requireNonNull(route);
            Objects.requireNonNull(status);
        }
    }
}
