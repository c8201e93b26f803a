package dev.jot.guard.usage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests in memory: per {@link UsageCount.Key} (subject, client, audience, route template, status class,
 * minute) and refused requests per reason and minute, each in a {@link LongAdder}, so that counting costs a map
 * look-up and an uncontended add, never a write anywhere. {@link #cut()} takes the counts made since the last cut;
 * a {@link UsageShipper} does that every interval and ships them.
 *
 * <pre>{@code
 * UsageMeter meter = new UsageMeter(clock);
 * Guard guard = Guard.forIssuer(issuer).audience("orders-api").metering(meter).build();   // adapters count
 * UsageShipper shipper = UsageShipper.builder(meter, HttpUsageSink.forIssuer(issuer, machine)).start();
 * }</pre>
 *
 * <p>Counts are exact: a cut reads each adder with {@code sumThenReset}, so a request counted during a cut lands in
 * this cut or the next. Keys idle for two cuts are dropped from the map, and their adders are still read at every
 * cut for a minute, so that a request that looked its key up just before the drop is counted all the same (only a
 * thread stalled for a whole minute between look-up and add could be missed). Thread-safe; cuts are serialised.
 */
public final class UsageMeter {

    private final Clock clock;
    private final Tally<UsageCount.Key> counts = new Tally<>();
    private final Tally<RejectedKey> rejected = new Tally<>();

    public UsageMeter() {
        this(Clock.systemUTC());
    }

    /** A meter whose minutes come from {@code clock}: give it the guard's. */
    public UsageMeter(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** The start of the current minute, in epoch seconds. */
    public long minuteNow() {
        return Math.floorDiv(clock.millis(), 60_000) * 60;
    }

    /** Counts one request under {@code key}. */
    public void count(UsageCount.Key key) {
        counts.add(Objects.requireNonNull(key));
    }

    /**
     * Counts one request in the current minute; {@code clientId} and {@code audience} may be null, {@code route} is
     * the route template, {@code status} the HTTP status of the answer.
     */
    public void count(String subject, String clientId, String audience, String route, int status) {
        counts.add(new UsageCount.Key(minuteNow(), subject, clientId, audience, route, statusClass(status)));
    }

    /** Counts one request refused for {@code reason} (an {@code AuthResult.Reason} code) in the current minute. */
    public void rejected(String reason) {
        rejected.add(new RejectedKey(minuteNow(), Objects.requireNonNull(reason)));
    }

    /** The status class of an answer: {@code 1xx} … {@code 5xx}; anything out of range counts as {@code 5xx}. */
    public static String statusClass(int status) {
        return switch (status / 100) {
            case 1 -> "1xx";
            case 2 -> "2xx";
            case 3 -> "3xx";
            case 4 -> "4xx";
            default -> "5xx";
        };
    }

    /** What one {@link #cut()} took: the counts since the previous cut, zero counts left out. */
    public record Cut(List<UsageCount> counts, List<RejectedCount> rejected) {
        public Cut {
            counts = List.copyOf(counts);
            rejected = List.copyOf(rejected);
        }

        public boolean isEmpty() {
            return counts.isEmpty() && rejected.isEmpty();
        }
    }

    /** Takes the counts made since the last cut. */
    public synchronized Cut cut() {
        List<UsageCount> c = new ArrayList<>();
        counts.cut((k, n) -> c.add(new UsageCount(k, n)));
        List<RejectedCount> r = new ArrayList<>();
        rejected.cut((k, n) -> r.add(new RejectedCount(k.minute(), k.reason(), n)));
        return new Cut(c, r);
    }

    /** Keys held (for tests and metrics). */
    public int keys() {
        return counts.live.size() + rejected.live.size();
    }

    private record RejectedKey(long minute, String reason) {
    }

    /** Adders per key; cut by one thread at a time. */
    private static final class Tally<K> {
        private static final int IDLE_CUTS_BEFORE_DROP = 2;
        /** A dropped adder is read at every cut for this long (real time): a writer never holds one longer. */
        private static final long RETIRED_NANOS = 60_000_000_000L;

        private final ConcurrentHashMap<K, Cell> live = new ConcurrentHashMap<>();
        /** Dropped keys' adders in the order dropped; touched by the cutting thread only. */
        private final java.util.ArrayDeque<Retired<K>> retired = new java.util.ArrayDeque<>();

        void add(K key) {
            Cell cell = live.get(key);
            if (cell == null) {
                cell = live.computeIfAbsent(key, k -> new Cell());
            }
            cell.adder.increment();
        }

        void cut(java.util.function.ObjLongConsumer<K> out) {
            long now = System.nanoTime();
            Map<K, Long> sums = new java.util.HashMap<>();
            for (Retired<K> r : retired) {
                long n = r.cell().adder.sumThenReset();
                if (n != 0) {
                    sums.merge(r.key(), n, Long::sum);
                }
            }
            while (!retired.isEmpty() && now - retired.peekFirst().atNanos() > RETIRED_NANOS) {
                retired.pollFirst();
            }
            for (Iterator<Map.Entry<K, Cell>> it = live.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<K, Cell> e = it.next();
                Cell cell = e.getValue();
                long n = cell.adder.sumThenReset();
                if (n != 0) {
                    cell.idleCuts = 0;
                    sums.merge(e.getKey(), n, Long::sum);
                } else if (++cell.idleCuts >= IDLE_CUTS_BEFORE_DROP) {
                    it.remove();
                    retired.addLast(new Retired<>(e.getKey(), cell, now));
                }
            }
            sums.forEach(out::accept);
        }
    }

    private record Retired<K>(K key, Cell cell, long atNanos) {
    }

    private static final class Cell {
        final LongAdder adder = new LongAdder();
        /** Touched by the cutting thread only. */
        int idleCuts;
    }
}
