package dev.jot.server;

import dev.jot.server.account.HashingSlots;
import dev.jot.server.metrics.Metrics;
import dev.jot.server.session.RevocationFeed;
import io.micrometer.core.instrument.FunctionTimer;
import java.util.concurrent.TimeUnit;

/** The meters read from the services' own counters when {@code /metrics} is scraped. */
final class ServerMeters {
    private ServerMeters() {
    }

    static void register(Metrics metrics, HashingSlots slots, RevocationFeed feed) {
        metrics.gauge("jot.password.hashing.queue", "Password checks waiting for a hashing slot",
                slots::waitingCount);
        metrics.gauge("jot.password.hashing.active", "Password hashes running", slots::activeCount);
        metrics.gauge("jot.password.hashing.slots", "Password hashes that may run at once", slots::concurrency);
        FunctionTimer.builder("jot.password.hashing", slots, HashingSlots::ran, HashingSlots::hashingNanos,
                        TimeUnit.NANOSECONDS)
                .description("Argon2 hashes run, and the time spent in them").register(metrics.registry());
        metrics.counter("jot.password.hashing.refused", "Password checks not run: the queue was full, or the "
                + "client left or the deadline passed while queued", "reason", "queue_full", slots::refused);
        metrics.counter("jot.password.hashing.refused", "Password checks not run: the queue was full, or the "
                + "client left or the deadline passed while queued", "reason", "dropped", slots::dropped);
        metrics.gauge("jot.revocation.feed.subscribers", "Resource servers connected to the revocation feed",
                feed::subscriberCount);
        metrics.gauge("jot.revocation.feed.backlog", "Denials buffered for the slowest feed subscriber, not yet sent",
                feed::maxBacklog);
        // The server's own guard's verified-token cache (Metrics#guardCache) is not wired: jot-guard's
        // VerifiedTokenCache keeps no hit/miss counters yet. Once Guard exposes them, call
        // metrics.guardCache(hits, misses) here.
    }
}
