package dev.jot.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a guard with {@link Guard.Builder#rateLimits rate limits} says of one request's limits, as the fields of
 * draft-ietf-httpapi-ratelimit-headers (Structured Fields, RFC 9651):
 *
 * <pre>{@code
 * RateLimit-Policy: "minute";q=600;w=60, "day";q=100000;w=86400     // the token's jot_limits
 * RateLimit: "minute";r=599;t=1                                      // the reported policy: r left, t seconds
 * }</pre>
 *
 * {@code t} is always a delay in seconds from now, never an instant. On a 429 the reported policy is the one used
 * up, with {@code r=0} and {@code t} the seconds until it is available again (also sent as {@code Retry-After}).
 *
 * @param policies      the policies in force for the token, in the order minute, day, month (then any other)
 * @param reported      the policy {@code RateLimit} reports: the one used up on a refusal, else the minute rate;
 *                      null when there is nothing to report (no minute rate)
 * @param remaining     requests left in {@code reported}
 * @param resetSeconds  seconds until {@code reported} has room again (a refusal), or is full again (otherwise)
 * @param legacyHeaders also send {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (delta seconds)
 */
public record RateLimitStatus(List<Policy> policies, Policy reported, long remaining, long resetSeconds,
                              boolean legacyHeaders) {

    public static final String MINUTE = "minute";
    public static final String DAY = "day";
    public static final String MONTH = "month";

    /** What a policy may be called: simple enough to need no escaping in a Structured Field string. */
    static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    /** One quota: at most {@code quota} requests per {@code windowSeconds} (0 when the window is not known). */
    public record Policy(String name, long quota, long windowSeconds) {
        public Policy {
            if (!NAME.matcher(Objects.requireNonNull(name)).matches()) {
                throw new IllegalArgumentException("a policy name is 1–32 of [a-z0-9_-]");
            }
            if (quota < 0 || windowSeconds < 0) {
                throw new IllegalArgumentException("negative quota or window");
            }
        }

        /** The window of the policies Jot knows: a minute, a day, a month of 30 days; 0 for any other. */
        static long windowOf(String name) {
            return switch (name) {
                case MINUTE -> 60;
                case DAY -> 86_400;
                case MONTH -> 30 * 86_400L;
                default -> 0;
            };
        }
    }

    public RateLimitStatus {
        policies = List.copyOf(policies);
        if (remaining < 0 || resetSeconds < 0) {
            throw new IllegalArgumentException("negative remaining or reset");
        }
    }

    /** The fields to send with the answer, in order; empty when the token has no limits. */
    public Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        if (!policies.isEmpty()) {
            StringBuilder p = new StringBuilder();
            for (Policy policy : policies) {
                if (!p.isEmpty()) {
                    p.append(", ");
                }
                p.append('"').append(policy.name()).append("\";q=").append(policy.quota());
                if (policy.windowSeconds() > 0) {
                    p.append(";w=").append(policy.windowSeconds());
                }
            }
            h.put("RateLimit-Policy", p.toString());
        }
        if (reported != null) {
            h.put("RateLimit", "\"" + reported.name() + "\";r=" + remaining + ";t=" + resetSeconds);
            if (legacyHeaders) {
                h.put("X-RateLimit-Limit", Long.toString(reported.quota()));
                h.put("X-RateLimit-Remaining", Long.toString(remaining));
                h.put("X-RateLimit-Reset", Long.toString(resetSeconds));
            }
        }
        return h;
    }
}
