package dev.jot.guard;

import java.time.Instant;
import java.util.Optional;

/**
 * A guard's counters, read-only, for an application's metrics ({@link Guard#stats()}): a snapshot, cheap to take.
 *
 * @param cacheHits       requests whose token was found verified in the cache
 * @param cacheMisses     requests whose token was verified (cache disabled, new token, or entry gone)
 * @param cachedTokens    verified tokens held
 * @param keyFetches      fetches of the issuer's discovery document and key set (0 for a guard with fixed keys)
 * @param feedInSync      whether the revocation feed is connected and complete; empty without a feed
 * @param feedLastEventAt when the revocation feed last sent anything, heartbeats included (its age is the feed's
 *                        lag bound); empty without a feed or before its first byte
 * @param denials         denials in force from the feed (0 without one)
 * @param quotasExhausted subjects and clients refused for a used-up quota
 * @param rateBuckets     token buckets held by the rate limits (0 without them)
 */
public record GuardStats(long cacheHits, long cacheMisses, int cachedTokens, long keyFetches,
                         Optional<Boolean> feedInSync, Optional<Instant> feedLastEventAt, int denials,
                         int quotasExhausted, int rateBuckets) {
}
