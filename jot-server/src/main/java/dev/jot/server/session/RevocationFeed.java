package dev.jot.server.session;

import dev.jot.server.session.RevocationRepository.Denial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * The denials this instance knows of, as a stream for resource servers ({@code GET /revocations}): each subscriber
 * gets a snapshot of the live denials, then every denial as this instance learns of it (its own, another
 * instance's through a notification, or one the resync found). A denial is announced once per instance, however
 * it was learned; subscribers resume by sequence number ({@link #resume}).
 *
 * <p>Each subscription buffers at most {@link #BUFFER} events. A subscriber that falls that far behind is marked
 * {@linkplain Subscription#overflowed() overflowed} and gets a fresh snapshot instead of the events it missed.
 */
public final class RevocationFeed implements AutoCloseable {
    static final int BUFFER = 10_000;
    /** Put in a subscription's queue to wake its reader when the feed closes. */
    private static final Denial CLOSING = new Denial(-1, Revocations.Kind.jti, "", Instant.EPOCH, Instant.EPOCH);

    private final RevocationRepository repo;
    private final Clock clock;
    private final Duration maxDenial;
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
    /** Sequence numbers announced, with when they stop mattering: a denial is announced once per instance. */
    private final Map<Long, Instant> announced = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RevocationFeed(RevocationRepository repo, Clock clock, Duration maxDenial) {
        this.repo = repo;
        this.clock = clock;
        this.maxDenial = maxDenial;
    }

    /** One subscriber's queue of denials to send. */
    final class Subscription implements AutoCloseable {
        private final BlockingQueue<Denial> queue = new ArrayBlockingQueue<>(BUFFER);
        private volatile boolean overflowed;

        private Subscription() {
        }

        /**
         * The next denial, waiting at most {@code timeout}; empty when none came (time for a heartbeat) or the feed
         * is closing ({@link #open()} then says so).
         */
        Optional<Denial> next(Duration timeout) throws InterruptedException {
            Denial d = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return d == null || d == CLOSING ? Optional.empty() : Optional.of(d);
        }

        /** The subscriber fell {@link #BUFFER} events behind: what it missed is lost, it needs a snapshot. */
        boolean overflowed() {
            return overflowed;
        }

        /** Whether the feed is still running (false once the server stops). */
        boolean open() {
            return !closed && subscriptions.contains(this);
        }

        /** Drops what is buffered and clears {@link #overflowed()}: the subscriber is sent a snapshot next. */
        void restart() {
            queue.clear();
            overflowed = false;
        }

        private void offer(Denial d) {
            if (!queue.offer(d)) {
                overflowed = true;
            }
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    /** Starts a subscription: call before reading the snapshot, so that nothing committed in between is missed. */
    Subscription subscribe() {
        Subscription s = new Subscription();
        subscriptions.add(s);
        return s;
    }

    /** Every live denial, in sequence order. */
    List<Denial> snapshot() {
        return capped(repo.liveSince(Instant.EPOCH, clock.instant()));
    }

    /**
     * What a subscriber that saw everything up to {@code lastSeq} missed: live denials numbered after it, plus
     * those made in the last {@link Revocations#RESYNC_OVERLAP} whatever their number (a transaction that drew a
     * lower number can commit after a higher one). Empty when {@code lastSeq} is beyond anything stored: the
     * database is not the one the subscriber knew, and it needs a snapshot.
     */
    Optional<List<Denial>> resume(long lastSeq) {
        if (lastSeq < 0 || lastSeq > repo.lastSeq()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.of(capped(repo.liveAfter(lastSeq, now.minus(Revocations.RESYNC_OVERLAP), now)));
    }

    /** Announces {@code d} to every subscriber, once. */
    void publish(Denial d) {
        if (announced.putIfAbsent(d.seq(), d.until()) != null) {
            return;
        }
        for (Subscription s : subscriptions) {
            s.offer(d);
        }
    }

    void forgetExpired(Instant now) {
        announced.values().removeIf(until -> !now.isBefore(until));
    }

    /** No denial is sent with a longer life than any token can have (a forged row cannot deny forever). */
    private List<Denial> capped(List<Denial> rows) {
        Instant cap = clock.instant().plus(maxDenial);
        Instant quotaCap = clock.instant().plus(Revocations.MAX_QUOTA);
        return rows.stream().map(d -> {
            Instant c = d.kind() == Revocations.Kind.quota ? quotaCap : cap;
            return d.until().isAfter(c) ? new Denial(d.seq(), d.kind(), d.id(), d.revokedAt(), c) : d;
        }).toList();
    }

    /** Subscribers connected now. */
    public int subscriberCount() {
        return subscriptions.size();
    }

    /** The most denials any one subscriber has buffered and not yet been sent: how far the slowest lags behind. */
    public int maxBacklog() {
        int max = 0;
        for (Subscription s : subscriptions) {
            max = Math.max(max, s.queue.size());
        }
        return max;
    }

    /** Ends every subscription (the server is stopping): their readers wake up and find the feed closed. */
    @Override
    public void close() {
        closed = true;
        for (Subscription s : subscriptions) {
            s.queue.clear();
            s.queue.offer(CLOSING);
        }
        subscriptions.clear();
    }
}
