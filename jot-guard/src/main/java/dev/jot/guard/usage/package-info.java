/**
 * Usage metering: what a guard counts, how it ships the counts to the issuer, and how quotas come back.
 *
 * <p><b>Counting.</b> A guard counts every request it authenticates, in memory, per {@link UsageCount.Key} (subject,
 * client, audience, route template, status class, minute), and every refused request per reason and minute. It
 * never writes anywhere per request.
 *
 * <p><b>Shipping.</b> Every interval (10 s by default) the counts are cut into a {@link UsageBatch} with a fresh id and
 * handed to a {@link UsageSink}: the issuer's {@code POST /usage/batches} for a resource server, the database directly
 * for the issuer's own routes. A batch is retried with the same id until the sink accepts it, and the issuer counts
 * an id once. The wire form (JSON, {@code application/json}, bearer token with scope {@code jot:usage}):
 *
 * <pre>{@code
 * {"batch_id": "b6f0…",                 // 1–64 of [A-Za-z0-9._-]; the same id is counted once
 *  "instance": "orders-api-1",          // optional, ≤ 128 characters, for the operator
 *  "merged_buckets": 0,                 // minute-buckets folded together because the buffer was full
 *  "counts":   [{"minute": 1764518400,  // epoch seconds, a multiple of 60
 *                "sub": "u_42", "client_id": "c_7", "audience": "https://orders",   // client_id, audience: null if absent
 *                "route": "/orders/{id}", "status": "2xx", "count": 17}],
 *  "rejected": [{"minute": 1764518400, "reason": "token_expired", "count": 3}]}
 * }</pre>
 *
 * A batch holds at most {@link UsageBatch#MAX_ENTRIES} entries (counts and rejected together); a guard splits more.
 * The issuer answers {@code 202 {"batch_id":…,"duplicate":false}}, or {@code 200 … "duplicate":true} for an id it
 * has counted already.
 *
 * <p><b>Quotas.</b> A token's rate and quotas travel in its {@code jot_limits} claim ({@code {"minute":600,
 * "day":100000,"month":null,"bucket":"sub:u_42"}}, each limit a request count or absent/null for none), computed by
 * the issuer when it signs the token. {@code bucket} names whose limits they are: {@code client:<client_id>} for API
 * keys and machine clients, {@code sub:<subject>} for a user's login (whose {@code client_id} is the first-party
 * client). The guard enforces the per-minute rate itself with a token bucket per bucket. Day and month quotas are enforced by the issuer from the shipped counts: when one is used up it sends
 * {@code event: quota} on the revocation feed with {@code {"kind":"sub"|"client","value":…,"policy":"day",
 * "limit":100,"until":<epoch seconds>}}, and every guard refuses that subject or client until then with 429
 * {@code quota_exceeded}. When an admin changes or removes that quota, the issuer takes the announcement back: the same
 * event with {@code "policy":"lifted"} makes every guard drop what refuses that subject or client.
 *
 * <p><b>The parts.</b> {@link UsageMeter} counts (give it to {@code Guard.Builder.metering}; the Javalin plugin and
 * the Servlet filter call {@code Guard.record} once each answer's status is known); {@link UsageShipper} cuts and
 * ships; {@code dev.jot.guard.HttpUsageSink} is the sink that posts to the issuer; {@code dev.jot.guard.RateLimits}
 * enforces {@code jot_limits} and the quota events ({@code dev.jot.guard.QuotaBoard}).
 */
package dev.jot.guard.usage;
