package dev.jot.guard.usage;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ships a {@link UsageMeter}'s counts to a {@link UsageSink} every interval (10 s by default).
 *
 * <pre>{@code
 * UsageShipper shipper = UsageShipper.builder(meter, HttpUsageSink.forIssuer(issuer, machineTokens))
 *         .interval(Duration.ofSeconds(10)).instance("orders-api-1").start();
 * ...
 * shipper.close();   // at shutdown: one last cut and attempt
 * }</pre>
 *
 * <p>Each interval it cuts the meter into a buffer and ships the buffer as batches of at most
 * {@link UsageBatch#MAX_ENTRIES} entries, each with a fresh id. A batch the sink does not accept stays the next to
 * ship, with its id and content unchanged, so the issuer counts it once however often it arrives; meanwhile new
 * counts wait in the buffer. The buffer is bounded in minute-buckets ({@link Builder#maxBufferedMinutes}, 1,440 by
 * default: a day of outage at one bucket a minute): past the bound the two oldest buckets are merged into the later
 * one (totals stay exact, minutes blur) and the next batch reports how many merges there were in
 * {@code merged_buckets}. Nothing is dropped, except what is still unshipped when {@link #close()} gives up, which
 * is logged with its total. Thread-safe.
 */
public final class UsageShipper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UsageShipper.class.getName());

    private final UsageMeter meter;
    private final UsageSink sink;
    private final Clock clock;
    private final Duration interval;
    private final int maxMinutes;
    private final String instance;
    private ScheduledExecutorService scheduler;

    // Under the lock of this object:
    /** The batch the sink did not accept: shipped again, as it is, before anything else. */
    private UsageBatch unaccepted;
    private final TreeMap<Long, Map<UsageCount.Key, Long>> counts = new TreeMap<>();
    private final TreeMap<Long, Map<String, Long>> rejected = new TreeMap<>();
    private long mergedBuckets;
    private long batchesShipped;
    private long failures;
    private boolean failing;
    private long lastShippedMillis = Long.MIN_VALUE;
    private boolean closed;

    private UsageShipper(Builder b) {
        this.meter = b.meter;
        this.sink = b.sink;
        this.clock = b.clock;
        this.interval = b.interval;
        this.maxMinutes = b.maxMinutes;
        this.instance = b.instance;
    }

    public static Builder builder(UsageMeter meter, UsageSink sink) {
        return new Builder(meter, sink);
    }

    /**
     * Cuts the meter and ships what is waiting, now: what the background thread does every interval (tests call
     * it instead of waiting). Returns whether everything was accepted; never throws for a failing sink.
     */
    public synchronized boolean shipNow() {
        take(meter.cut());
        mergeOverflow();
        while (true) {
            if (unaccepted == null) {
                unaccepted = nextBatch();
                if (unaccepted == null) {
                    return true;
                }
            }
            try {
                sink.ship(unaccepted);
            } catch (Exception e) {
                failures++;
                if (!failing) {
                    failing = true;
                    LOG.log(Level.WARNING, "Usage batch " + unaccepted.id() + " was not stored (" + describe(e)
                            + "); counting on and shipping it again every " + interval.toSeconds() + " s");
                }
                return false;
            }
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "Usage batches are stored again");
            }
            unaccepted = null;
            batchesShipped++;
            lastShippedMillis = clock.millis();
        }
    }

    /** Counts waiting to be shipped, including those of a batch not accepted yet. */
    public synchronized long pendingCount() {
        long n = 0;
        for (Map<UsageCount.Key, Long> m : counts.values()) {
            for (long c : m.values()) {
                n += c;
            }
        }
        for (Map<String, Long> m : rejected.values()) {
            for (long c : m.values()) {
                n += c;
            }
        }
        if (unaccepted != null) {
            n += unaccepted.counts().stream().mapToLong(UsageCount::count).sum();
            n += unaccepted.rejected().stream().mapToLong(RejectedCount::count).sum();
        }
        return n;
    }

    /** Minute-buckets waiting in the buffer (a batch not accepted yet aside). */
    public synchronized int bufferedMinutes() {
        return minutes().size();
    }

    /** Batches the sink accepted. */
    public synchronized long batchesShipped() {
        return batchesShipped;
    }

    /** Attempts the sink refused or failed. */
    public synchronized long failures() {
        return failures;
    }

    /** When a batch was last accepted; empty before the first. */
    public synchronized Optional<Instant> lastShippedAt() {
        return lastShippedMillis == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastShippedMillis));
    }

    /** Stops the background thread, then cuts and ships once more; what is still not accepted is logged. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = scheduler;
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(interval.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!shipNow()) {
            LOG.log(Level.WARNING, "Closing with " + pendingCount() + " request count(s) the usage sink did not accept");
        }
    }

    private synchronized UsageShipper start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jot-guard-usage");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            shipNow();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Shipping usage failed unexpectedly", e);
        }
    }

    private void take(UsageMeter.Cut cut) {
        for (UsageCount c : cut.counts()) {
            counts.computeIfAbsent(c.key().minute(), m -> new HashMap<>()).merge(c.key(), c.count(), Long::sum);
        }
        for (RejectedCount r : cut.rejected()) {
            rejected.computeIfAbsent(r.minute(), m -> new HashMap<>()).merge(r.reason(), r.count(), Long::sum);
        }
    }

    private TreeMap<Long, Boolean> minutes() {
        TreeMap<Long, Boolean> all = new TreeMap<>();
        counts.keySet().forEach(m -> all.put(m, true));
        rejected.keySet().forEach(m -> all.put(m, true));
        return all;
    }

    /** Past the bound, folds the oldest minute-bucket into the next one, as often as needed. */
    private void mergeOverflow() {
        TreeMap<Long, Boolean> all = minutes();
        while (all.size() > maxMinutes) {
            long oldest = all.pollFirstEntry().getKey();
            long into = all.firstKey();
            Map<UsageCount.Key, Long> old = counts.remove(oldest);
            if (old != null) {
                Map<UsageCount.Key, Long> target = counts.computeIfAbsent(into, m -> new HashMap<>());
                old.forEach((k, n) -> target.merge(new UsageCount.Key(into, k.subject(), k.clientId(), k.audience(),
                        k.route(), k.status()), n, Long::sum));
            }
            Map<String, Long> oldRejected = rejected.remove(oldest);
            if (oldRejected != null) {
                Map<String, Long> target = rejected.computeIfAbsent(into, m -> new HashMap<>());
                oldRejected.forEach((reason, n) -> target.merge(reason, n, Long::sum));
            }
            mergedBuckets++;
        }
    }

    /** Takes up to {@link UsageBatch#MAX_ENTRIES} entries out of the buffer, oldest minutes first; null if empty. */
    private UsageBatch nextBatch() {
        if (counts.isEmpty() && rejected.isEmpty()) {
            return null;
        }
        int room = UsageBatch.MAX_ENTRIES;
        List<UsageCount> c = new ArrayList<>();
        List<RejectedCount> r = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Map<String, Long>>> minutes = rejected.entrySet().iterator();
             minutes.hasNext() && room > 0; ) {
            Map.Entry<Long, Map<String, Long>> minute = minutes.next();
            for (Iterator<Map.Entry<String, Long>> it = minute.getValue().entrySet().iterator(); it.hasNext() && room > 0; ) {
                Map.Entry<String, Long> e = it.next();
                r.add(new RejectedCount(minute.getKey(), e.getKey(), e.getValue()));
                it.remove();
                room--;
            }
            if (minute.getValue().isEmpty()) {
                minutes.remove();
            }
        }
        for (Iterator<Map.Entry<Long, Map<UsageCount.Key, Long>>> minutes = counts.entrySet().iterator();
             minutes.hasNext() && room > 0; ) {
            Map.Entry<Long, Map<UsageCount.Key, Long>> minute = minutes.next();
            for (Iterator<Map.Entry<UsageCount.Key, Long>> it = minute.getValue().entrySet().iterator();
                 it.hasNext() && room > 0; ) {
                Map.Entry<UsageCount.Key, Long> e = it.next();
                c.add(new UsageCount(e.getKey(), e.getValue()));
                it.remove();
                room--;
            }
            if (minute.getValue().isEmpty()) {
                minutes.remove();
            }
        }
        UsageBatch batch = new UsageBatch(UUID.randomUUID().toString(), instance, mergedBuckets, c, r);
        mergedBuckets = 0;
        return batch;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Settings; every one has a default. */
    public static final class Builder {
        private final UsageMeter meter;
        private final UsageSink sink;
        private Clock clock = Clock.systemUTC();
        private Duration interval = Duration.ofSeconds(10);
        private int maxMinutes = 1_440;
        private String instance;

        private Builder(UsageMeter meter, UsageSink sink) {
            this.meter = Objects.requireNonNull(meter);
            this.sink = Objects.requireNonNull(sink);
        }

        /** How often to cut and ship, 10 s by default. */
        public Builder interval(Duration every) {
            if (every.toMillis() < 1) {
                throw new IllegalArgumentException("the interval must be at least a millisecond");
            }
            this.interval = every;
            return this;
        }

        /** The buffer's bound in minute-buckets while the sink fails, 1,440 by default; at least 1. */
        public Builder maxBufferedMinutes(int minutes) {
            if (minutes < 1) {
                throw new IllegalArgumentException("the buffer holds at least one minute");
            }
            this.maxMinutes = minutes;
            return this;
        }

        /** A name for this instance, sent with every batch for the operator (at most 128 characters). */
        public Builder instance(String name) {
            if (name != null && (name.length() > 128 || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
                throw new IllegalArgumentException("an instance name is at most 128 characters, no control characters");
            }
            this.instance = name;
            return this;
        }

        /** Judges {@link #lastShippedAt()}. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** A shipper that ships only when {@link #shipNow()} is called (tests, or an application's own scheduler). */
        public UsageShipper build() {
            return new UsageShipper(this);
        }

        /** A shipper that ships every interval on a daemon thread of its own. */
        public UsageShipper start() {
            return build().start();
        }
    }
}
