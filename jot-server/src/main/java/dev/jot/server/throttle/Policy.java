package dev.jot.server.throttle;

import java.time.Duration;

/**
 * Growing delays for one kind of key: {@code free} failures cost nothing, then each further failure doubles the
 * wait before the next attempt, from {@code first} up to {@code max}. Never a lockout: a locked account would be a
 * denial of service anyone can cause by typing wrong passwords for it (OWASP ASVS 5.0 V6.3.1). With the defaults
 * (5 free, 1 s, 15 min) an attacker gets at most ~100 guesses a day at one account; its owner waits at most 15 min.
 */
public record Policy(int free, Duration first, Duration max) {

    public Policy {
        if (free < 1 || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("a policy has free >= 1 and 0 < first <= max");
        }
    }

    /** The wait before the next attempt, after {@code failures} counted failures. */
    public Duration delayAfter(int failures) {
        if (failures < free) {
            return Duration.ZERO;
        }
        int doublings = failures - free;
        if (doublings >= 40) {
            return max;
        }
        Duration d = first.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }
}
