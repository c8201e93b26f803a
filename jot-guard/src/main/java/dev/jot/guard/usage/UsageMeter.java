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
 * this cut or the next. Keys idle for two cuts are dropped from the map, and their adders are read for three more
 * cuts, so that a request that looked its key up just before the drop is still counted (a thread would have to
 * stall between look-up and add for several intervals to be lost). Thread-safe; cuts are serialised.
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
        private static final int CUTS_READ_AFTER_DROP = 3;

        private final ConcurrentHashMap<K, Cell> live = new ConcurrentHashMap<>();
        /** Dropped keys' adders, read for a few more cuts; touched by the cutting thread only. */
        private final Map<K, Cell> retired = new java.util.HashMap<>();

        void add(K key) {
            Cell cell = live.get(key);
            if (cell == null) {
                cell = live.computeIfAbsent(key, k -> new Cell());
            }
            cell.adder.increment();
        }

        void cut(java.util.function.ObjLongConsumer<K> out) {
            Map<K, Long> sums = new java.util.HashMap<>();
            for (Iterator<Map.Entry<K, Cell>> it = retired.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<K, Cell> e = it.next();
                long n = e.getValue().adder.sumThenReset();
                if (n != 0) {
                    sums.merge(e.getKey(), n, Long::sum);
                }
                if (++e.getValue().idleCuts >= CUTS_READ_AFTER_DROP) {
                    it.remove();
                }
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
                    cell.idleCuts = 0;
                    Cell before = retired.put(e.getKey(), cell);
                    if (before != null) { // dropped twice within a few cuts: keep reading the older one too
                        long m = before.adder.sumThenReset();
                        if (m != 0) {
                            sums.merge(e.getKey(), m, Long::sum);
                        }
                    }
                }
            }
            sums.forEach(out::accept);
        }
    }

    private static final class Cell {
        final LongAdder adder = new LongAdder();
        /** Touched by the cutting thread only. */
        int idleCuts;
    }
}
