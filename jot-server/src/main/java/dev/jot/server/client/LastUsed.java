package dev.jot.server.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code last_used_at} of secrets without a database write per token request: a secret's use is written at
 * most once per {@link #EVERY} by this instance, by the one request that claims the write (a compare-and-set in
 * memory), and not at all while the stored value is that fresh. The write is a conditional UPDATE, so instances
 * sharing a database do not pile up writes either. {@code last_used_at} is therefore accurate to a minute.
 */
final class LastUsed {
    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LastUsed.class);
    /** Secrets remembered at most; the map is simply cleared when full (the stored values still throttle). */
    private static final int MAX_ENTRIES = 100_000;

    private final CredentialRepository repo;
    private final ConcurrentHashMap<String, Instant> written = new ConcurrentHashMap<>();

    LastUsed(CredentialRepository repo) {
        this.repo = repo;
    }

    /** Notes a use of secret {@code secretId} at {@code now}; {@code stored} is its last_used_at as just read. */
    void touch(String secretId, Instant stored, Instant now) {
        if (stored != null && now.isBefore(stored.plus(EVERY))) {
            return;
        }
        Instant previous = written.get(secretId);
        if (previous != null && now.isBefore(previous.plus(EVERY))) {
            return;
        }
        boolean mine = previous == null ? written.putIfAbsent(secretId, now) == null
                : written.replace(secretId, previous, now);
        if (!mine) {
            return; // another request is writing it
        }
        if (written.size() > MAX_ENTRIES) {
            written.clear();
        }
        try {
            repo.touch(secretId, now, now.minus(EVERY));
        } catch (RuntimeException e) {
            // A bookkeeping write must not fail the token request; the next use a minute on tries again.
            LOG.warn("Could not record the use of secret {}: {}", secretId, e.toString());
        }
    }
}
