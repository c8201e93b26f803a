package dev.jot.server.usage;

import dev.jot.guard.usage.UsageBatch;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.session.Revocations;
import dev.jot.server.store.Database;
import dev.jot.server.token.TokenService;
import dev.jot.server.usage.UsageRepository.Point;
import dev.jot.server.usage.UsageRepository.Quota;
import dev.jot.server.usage.UsageRepository.Row;
import dev.jot.server.usage.UsageRepository.Table;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Usage metering on the issuer's side: stores batches once each, rolls minutes up to hours and hours up to days,
 * answers usage reads, keeps quotas, and announces used-up day and month quotas on the revocation feed.
 *
 * <p>Each request is counted in exactly one of the three tables: a batch's entries go to the minute table, or
 * straight to hours or days when their minute is already past that table's retention (a guard that was cut off
 * for days); the roll-up moves rows, it never copies them. Reads add the three tables up, so a total over any range
 * is exact; a finer granularity than a row's shows that row at the start of its hour or day.
 */
public final class UsageService {
    /** The job that creates partitions ahead, rolls up, and purges old batch ids and totals. */
    public static final String JOB = "usage";
    public static final Duration JOB_EVERY = Duration.ofMinutes(10);
    /**
     * The job that adds accepted batches up ({@link #applyDue}): to the quota totals each time, to the usage rows every
     * {@link #ROWS_EVERY}.
     */
    public static final String APPLY = "usage-apply";
    public static final Duration APPLY_EVERY = Duration.ofSeconds(5);
    /**
     * How often the {@link #APPLY} job adds pending batches to the usage rows (reads add them first, whenever). Each
     * time writes every row the batches touch: 20 guards shipping every 10 s for the same 5,000 (subject, route,
     * status) keys touch the same 5,000 minute rows, so adding up every 10 s rather than every second writes them a
     * tenth as often (bench/usage-ingest.sh: the add-up was 75 % of the server's CPU samples, and on H2 each row
     * written copies its B-tree pages, most of the server's garbage). The quota totals, which say when a quota is
     * used up, are still added within {@link #APPLY_SOON}.
     */
    public static final Duration ROWS_EVERY = Duration.ofSeconds(10);
    /** Batches applied together in one transaction at most. */
    static final int APPLY_BATCHES = 50;
    /**
     * Adding up pending batches is a burst of work for the jobs' thread (with 20 busy guards, a 5,000-row update each
     * second). It is done in slices of at most this many rows (and after decoding the batches), each followed by a
     * pause as long as the slice took, up to {@link #MAX_PAUSE}: on a 2-core machine a batch POSTed during an
     * unbroken burst waited for it (bench/usage-ingest.sh on H2, 2026-11-30: paced p99 90.7 ms without the pauses,
     * 44-50 ms with them).
     */
    static final int ROWS_SLICE = 500;
    static final Duration MAX_PAUSE = Duration.ofMillis(50);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UsageService.class);
    static final Duration BATCH_ID_RETENTION = Duration.ofDays(7);
    /** Quota totals are kept for the previous month too. */
    static final Duration TOTALS_RETENTION = Duration.ofDays(62);
    /** Partitions made ahead of today (PostgreSQL). */
    static final int DAYS_AHEAD = 2;
    /** How far ahead of this server's clock a batch's minute may be (guards' clocks drift). */
    static final Duration FUTURE_SKEW = Duration.ofHours(1);
    /** Share of a quota at which {@code /admin/usage/alerts} lists a bucket. */
    static final int WARN_PERCENT = 80;
    private static final int ATTEMPTS = 3;

    /** Limits of one bucket; null: none. */
    public record Limits(Long minute, Long day, Long month) {
        public boolean any() {
            return minute != null || day != null || month != null;
        }

        /** The {@code jot_limits} claim's object. */
        public Map<String, Object> claim() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("minute", minute);
            out.put("day", day);
            out.put("month", month);
            return out;
        }
    }

    /** The outcome of a batch: stored now, or counted before ({@code duplicate}). */
    public record Stored(String batchId, boolean duplicate) {
    }

    private final Runnable batchArrived;
    private final UsageRepository repo;
    private final Revocations revocations;
    private final Clock clock;
    private final Duration minuteRetention;
    private final Duration hourRetention;
    private final Limits defaults;

    /**
     * @param batchArrived called after each newly stored batch: the server runs the {@link #APPLY} job
     *                     {@link #APPLY_SOON} later ({@code Jobs.soon})
     */
    public UsageService(Jdbi jdbi, Revocations revocations, Clock clock, Duration minuteRetention,
                        Duration hourRetention, Limits defaults, Runnable batchArrived) {
        this.batchArrived = batchArrived;
        this.repo = new UsageRepository(jdbi);
        this.revocations = revocations;
        this.clock = clock;
        this.minuteRetention = minuteRetention;
        this.hourRetention = hourRetention;
        this.defaults = defaults;
    }

    /** The server's clock: what "now" and the default read range are measured by. */
    public Clock clock() {
        return clock;
    }

    // ---- ingest ----

    private record Key(long start, String subject, String clientId, String audience, String route, String status)
            implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::start).thenComparing(Key::subject)
                .thenComparing(Key::clientId).thenComparing(Key::audience).thenComparing(Key::route)
                .thenComparing(Key::status);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    private record Total(String bucket, String period, long start) implements Comparable<Total> {
        private static final Comparator<Total> ORDER = Comparator.comparingLong(Total::start)
                .thenComparing(Total::period).thenComparing(Total::bucket);

        @Override
        public int compareTo(Total o) {
            return ORDER.compare(this, o);
        }
    }

    /**
     * How soon after a batch arrives it is added up (and the quotas it touches checked): what bounds how late a used-up
     * quota is announced beyond the guards' shipping interval. Batches arriving within this window share one apply;
     * the {@link #APPLY} job's period is the backstop.
     */
    public static final Duration APPLY_SOON = Duration.ofSeconds(1);

    /** Batches stored, and batches whose id was known already (for metrics). */
    private final java.util.concurrent.atomic.LongAdder accepted = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder duplicates = new java.util.concurrent.atomic.LongAdder();

    public long batchesAccepted() {
        return accepted.sum();
    }

    public long batchesDuplicate() {
        return duplicates.sum();
    }

    /**
     * Accepts {@code batch} once: its id and the batch itself (in {@link PendingCodec}'s compact form) go to
     * the database in one transaction, and the answer is given; a batch whose id was received before changes
     * nothing. The counts reach the quota totals about {@link #APPLY_SOON} later ({@link #countPending}), and the
     * usage tables every {@link #ROWS_EVERY} and before every read ({@link #applyPending}), many batches at a time:
     * what 20 guards ship for the same minute is added up in memory and written once.
     */
    public Stored ingest(UsageBatch batch) {
        long now = clock.instant().getEpochSecond();
        long latest = now + FUTURE_SKEW.toSeconds();
        boolean future = batch.counts().stream().anyMatch(c -> c.key().minute() > latest)
                || batch.rejected().stream().anyMatch(r -> r.minute() > latest);
        if (future) {
            throw BatchJson.invalid("a minute is more than " + FUTURE_SKEW.toMinutes()
                    + " minutes ahead of the server's clock");
        }
        byte[] body = PendingCodec.write(batch);
        for (int attempt = 1; ; attempt++) {
            try {
                boolean stored = repo.inTransaction(tx -> {
                    if (!repo.insertBatchId(tx, batch.id(), now)) {
                        return false;
                    }
                    repo.insertPending(tx, batch.id(), now, body);
                    return true;
                });
                (stored ? accepted : duplicates).increment();
                if (stored) {
                    batchArrived.run();
                }
                return new Stored(batch.id(), !stored);
            } catch (RuntimeException e) {
                if (e instanceof UnableToExecuteStatementException u && Database.isUniqueViolation(u)
                        && repo.batchKnown(batch.id())) {
                    duplicates.increment();
                    return new Stored(batch.id(), true); // the same id, sent twice at once: the other send has it
                }
                if (attempt >= ATTEMPTS || !(Database.isTransientConflict(e)
                        || e instanceof UnableToExecuteStatementException v && Database.isUniqueViolation(v))) {
                    throw e;
                }
            }
        }
    }

    /**
     * The counts of many batches, added up in memory per row of each table and per quota total: what 20 guards ship
     * for the same minute is written once. Added up in hash maps and sorted once when stored: rows are written in key
     * order, so two instances adding up at once lock them in the same order (no deadlock).
     */
    private final class Sum {
        final long now = clock.instant().getEpochSecond();
        final long minuteCutoff = dayStart(now - minuteRetention.toSeconds());
        final long hourCutoff = dayStart(now - hourRetention.toSeconds());
        final Map<Table, HashMap<Key, long[]>> rows = new EnumMap<>(Table.class);
        final HashMap<Total, long[]> totals = new HashMap<>();
        final HashMap<Key, long[]> rejected = new HashMap<>();
        /** The quota buckets whose totals this sum adds to: the ones to check afterwards. */
        final Set<String> buckets = new LinkedHashSet<>();
        final List<String> batchIds = new ArrayList<>();
        /** "sub:…" and "client:…" strings, made once per subject or client rather than once per entry. */
        private final Map<String, String> subjectBuckets = new HashMap<>();
        private final Map<String, String> clientBuckets = new HashMap<>();
        /** The last day start whose month start was computed, and that month start (entries come in runs). */
        private long lastDay = Long.MIN_VALUE;
        private long lastMonth;
        /** Whether this sum adds to the usage rows (else only to the quota totals). */
        private final boolean withRows;

        Sum(boolean withRows) {
            this.withRows = withRows;
            for (Table t : Table.values()) {
                rows.put(t, new HashMap<>());
            }
        }

        /**
         * Adds a pending batch's counts to the usage rows (if this sum is {@code withRows}) and, unless it is counted
         * already, to the quota totals. A batch that cannot be read is logged and dropped (it was valid when it
         * arrived).
         */
        void add(UsageRepository.Pending pending) {
            batchIds.add(pending.batchId());
            boolean withTotals = !pending.counted(); // a sum without rows is given uncounted batches only
            PendingCodec.Entries e;
            try {
                e = PendingCodec.decode(pending.body());
            } catch (RuntimeException ex) {
                LOG.warn("Dropped pending usage batch {}: it cannot be read ({})", pending.batchId(), ex.toString());
                return;
            }
            for (int i = 0; i < e.counts().length; i++) {
                long n = e.counts()[i];
                if (n == 0) {
                    continue;
                }
                long minute = e.minutes()[i];
                String subject = e.string(e.subjects()[i]);
                String clientId = e.string(e.clients()[i]);
                if (withRows) {
                    // Entries older than the minute (hour) retention go straight to hours (days): nothing is rolled
                    // up twice.
                    Table t = minute >= minuteCutoff ? Table.MINUTES : minute >= hourCutoff ? Table.HOURS : Table.DAYS;
                    Key key = new Key(minute - Math.floorMod(minute, t.seconds), subject, orEmpty(clientId),
                            orEmpty(e.string(e.audiences()[i])), e.string(e.routes()[i]), e.string(e.statuses()[i]));
                    rows.get(t).computeIfAbsent(key, k -> new long[1])[0] += n;
                }
                if (!withTotals) {
                    continue;
                }
                // The quota bucket of the count (TokenService.bucketKind), its string made once per subject or client.
                String kind = TokenService.bucketKind(clientId);
                String bucket = (kind.equals("client") ? clientBuckets : subjectBuckets).computeIfAbsent(
                        TokenService.bucketValue(subject, clientId), v -> kind + ":" + v);
                buckets.add(bucket);
                long day = dayStart(minute);
                if (day != lastDay) {
                    lastDay = day;
                    lastMonth = monthStart(day);
                }
                totals.computeIfAbsent(new Total(bucket, "day", day), k -> new long[1])[0] += n;
                totals.computeIfAbsent(new Total(bucket, "month", lastMonth), k -> new long[1])[0] += n;
            }
            for (int i = 0; withRows && i < e.reasons().length; i++) { // refusals are rows only, never quota
                if (e.rejectedCounts()[i] > 0) {
                    rejected.computeIfAbsent(new Key(e.rejectedMinutes()[i], "", "", "", e.string(e.reasons()[i]), ""),
                            k -> new long[1])[0] += e.rejectedCounts()[i];
                }
            }
        }

        void storeRows(org.jdbi.v3.core.Handle tx) {
            if (repo.postgres()) {
                new TreeSet<>(rows.get(Table.MINUTES).keySet().stream().map(k -> dayStart(k.start())).toList())
                        .forEach(repo::ensurePartition);
            }
            for (Table t : Table.values()) {
                List<Row> all = sorted(rows.get(t)).stream().map(e -> new Row(e.getKey().start(),
                        e.getKey().subject(), e.getKey().clientId(), e.getKey().audience(),
                        e.getKey().route(), e.getKey().status(), e.getValue()[0])).toList();
                for (int from = 0; from < all.size(); from += ROWS_SLICE) {
                    long start = System.nanoTime();
                    repo.addUsage(tx, t, all.subList(from, Math.min(all.size(), from + ROWS_SLICE)));
                    breathe(start);
                }
            }
            List<Map.Entry<Key, long[]>> refused = sorted(rejected);
            repo.addRejected(tx, refused.stream().map(e -> e.getKey().start()).toList(),
                    refused.stream().map(e -> e.getKey().route()).toList(),
                    refused.stream().map(e -> e.getValue()[0]).toList());
        }

        void storeTotals(org.jdbi.v3.core.Handle tx) {
            List<Map.Entry<Total, long[]>> all = sorted(totals);
            for (int from = 0; from < all.size(); from += ROWS_SLICE) {
                long start = System.nanoTime();
                List<Map.Entry<Total, long[]>> ts = all.subList(from, Math.min(all.size(), from + ROWS_SLICE));
                repo.addBuckets(tx, ts.stream().map(e -> e.getKey().bucket()).toList(),
                        ts.stream().map(e -> e.getKey().period()).toList(),
                        ts.stream().map(e -> e.getKey().start()).toList(),
                        ts.stream().map(e -> e.getValue()[0]).toList());
                breathe(start);
            }
        }

        private static <K extends Comparable<K>> List<Map.Entry<K, long[]>> sorted(Map<K, long[]> m) {
            List<Map.Entry<K, long[]>> out = new ArrayList<>(m.entrySet());
            out.sort(Map.Entry.comparingByKey());
            return out;
        }
    }

    /** When pending batches were last added to the usage rows (by {@link #applyPending}); null: not yet. */
    private volatile Instant rowsApplied;

    /**
     * The {@link #APPLY} job: when {@link #ROWS_EVERY} has passed since pending batches were last added to the usage
     * rows, adds them all up ({@link #applyPending}, which counts the uncounted too); else only adds the batches not
     * yet counted to the quota totals ({@link #countPending}). Either way used-up quotas are announced.
     */
    public void applyDue() {
        Instant last = rowsApplied;
        if (last == null || !clock.instant().isBefore(last.plus(ROWS_EVERY))) {
            applyPending();
        } else {
            countPending();
        }
    }

    /**
     * Adds the pending batches not yet in the quota totals to them, up to {@link #APPLY_BATCHES} at a time, each group
     * in one transaction that also marks them counted; then checks the quotas of the buckets they counted. Answers how
     * many batches were counted.
     */
    public synchronized int countPending() {
        return addUp(true);
    }

    /**
     * Adds all pending batches to the usage tables (and those not yet counted to the quota totals), up to
     * {@link #APPLY_BATCHES} at a time, each group in one transaction that also deletes them; then checks the quotas of
     * the buckets newly counted. Answers how many batches were applied.
     */
    public synchronized int applyPending() {
        int applied = addUp(false);
        rowsApplied = clock.instant();
        return applied;
    }

    /** {@link #countPending} ({@code totalsOnly}) or {@link #applyPending}. */
    private int addUp(boolean totalsOnly) {
        int done = 0;
        while (repo.anyPending(totalsOnly)) {
            Sum sum = inTransactionRetrying(tx -> {
                Sum s = new Sum(!totalsOnly);
                long start = System.nanoTime();
                for (UsageRepository.Pending p : repo.lockPending(tx, APPLY_BATCHES, totalsOnly)) {
                    s.add(p);
                }
                breathe(start);
                if (!s.batchIds.isEmpty()) {
                    s.storeRows(tx);
                    s.storeTotals(tx);
                    if (totalsOnly) {
                        repo.markCounted(tx, s.batchIds);
                    } else {
                        repo.deletePending(tx, s.batchIds);
                    }
                }
                return s;
            });
            if (sum.batchIds.isEmpty()) {
                break;
            }
            done += sum.batchIds.size();
            checkQuotas(List.copyOf(sum.buckets));
        }
        return done;
    }

    /**
     * Pauses this thread as long as the slice of work since {@code start} ({@link System#nanoTime}) took, at most
     * {@link #MAX_PAUSE}: see {@link #ROWS_SLICE}. {@code parkNanos}, not {@code sleep}: an interrupt (the server
     * stopping) ends the pause without the thread's interrupt status being set again, which H2 would take as a reason
     * to close its file.
     */
    private static void breathe(long start) {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(System.nanoTime() - start, MAX_PAUSE.toNanos()));
    }

    /**
     * Runs {@code work} in a transaction, again (up to {@link #ATTEMPTS} times) when it lost a race with another
     * instance adding up the same rows.
     */
    private <T> T inTransactionRetrying(java.util.function.Function<org.jdbi.v3.core.Handle, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return repo.inTransaction(work);
            } catch (RuntimeException e) {
                boolean retry = Database.isTransientConflict(e)
                        || e instanceof UnableToExecuteStatementException u && Database.isUniqueViolation(u);
                if (attempt >= ATTEMPTS || !retry) {
                    throw e;
                }
            }
        }
    }

    /** After a batch: a bucket whose day or month total reached its quota is announced until the period ends. */
    private void checkQuotas(List<String> buckets) {
        if (buckets.isEmpty()) {
            return;
        }
        Map<String, Quota> set = repo.quotas(buckets);
        List<String> limited = new ArrayList<>();
        for (String b : buckets) {
            Limits l = effective(set.get(b));
            if (l.day() != null || l.month() != null) {
                limited.add(b);
            }
        }
        if (limited.isEmpty()) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        long day = dayStart(now);
        long month = monthStart(now);
        Map<String, Long> totals = repo.totals(limited, day, month);
        for (String b : limited) {
            Limits l = effective(set.get(b));
            String kind = b.substring(0, b.indexOf(':'));
            String value = b.substring(b.indexOf(':') + 1);
            if (l.day() != null && totals.getOrDefault("day " + b, 0L) >= l.day()) {
                revocations.publishQuota(kind, value, "day", l.day(), Instant.ofEpochSecond(day + UsageRepository.DAY));
            }
            if (l.month() != null && totals.getOrDefault("month " + b, 0L) >= l.month()) {
                revocations.publishQuota(kind, value, "month", l.month(), Instant.ofEpochSecond(nextMonth(now)));
            }
        }
    }

    // ---- the job ----

    /**
     * Creates the coming days' minute partitions (PostgreSQL), rolls minutes older than the minute retention up to
     * hours and hours older than the hour retention up to days (whole UTC days), and purges old batch ids, quota
     * totals and refusal counts.
     */
    public void maintain() {
        applyPending();
        long now = clock.instant().getEpochSecond();
        long today = dayStart(now);
        for (int d = 0; d <= DAYS_AHEAD; d++) {
            repo.ensurePartition(today + d * UsageRepository.DAY);
        }
        repo.rollUpMinutes(dayStart(now - minuteRetention.toSeconds()));
        repo.rollUpHours(dayStart(now - hourRetention.toSeconds()));
        repo.purge(now - BATCH_ID_RETENTION.toSeconds(), now - TOTALS_RETENTION.toSeconds(),
                now - hourRetention.toSeconds());
    }

    /** The days that have a minute partition (PostgreSQL; empty on H2), ascending. */
    public List<LocalDate> partitions() {
        return repo.partitionDays().stream()
                .map(d -> Instant.ofEpochSecond(d).atZone(ZoneOffset.UTC).toLocalDate()).toList();
    }

    // ---- reads ----

    /** What to read: equality filters on usage columns, [from, to), a granularity, and an optional group column. */
    public record Query(Map<String, String> filters, Instant from, Instant to, Granularity granularity,
                        String groupColumn) {
    }

    public enum Granularity {
        minute(60), hour(3600), day(86_400);

        final long seconds;

        Granularity(long seconds) {
            this.seconds = seconds;
        }
    }

    /** One point of an answer: the period's start, the group's value (null: none), the status class, requests. */
    public record UsagePoint(Instant start, String group, String status, long requests) {
    }

    public List<UsagePoint> read(Query q, int max) {
        applyPending();
        List<Point> points = repo.points(q.filters(), q.from().getEpochSecond(), q.to().getEpochSecond(),
                q.granularity().seconds, q.groupColumn(), max);
        return points.stream().map(p -> new UsagePoint(Instant.ofEpochSecond(p.start()),
                q.groupColumn() == null || p.group().isEmpty() ? null : p.group(), p.status(), p.requests())).toList();
    }

    public List<Map.Entry<String, Long>> top(String column, Instant from, Instant to, int limit) {
        applyPending();
        return repo.top(column, from.getEpochSecond(), to.getEpochSecond(), limit);
    }

    /** A bucket past {@value #WARN_PERCENT} % of a quota of the current UTC day or month. */
    public record Alert(String kind, String value, String policy, long limit, long used, Instant until) {
        public int percent() {
            return (int) Math.min(Integer.MAX_VALUE, used * 100 / limit);
        }

        public String level() {
            return used >= limit ? "exhausted" : "warning";
        }
    }

    public List<Alert> alerts(int max) {
        countPending(); // alerts read the quota totals only
        Long lowest = null;
        for (Long l : new Long[] {defaults.day(), defaults.month()}) {
            lowest = min(lowest, l);
        }
        List<Quota> rows = repo.quotasWithPeriods();
        for (Quota q : rows) {
            lowest = min(min(lowest, q.perDay()), q.perMonth());
        }
        if (lowest == null) {
            return List.of();
        }
        long now = clock.instant().getEpochSecond();
        long day = dayStart(now);
        long month = monthStart(now);
        List<Map.Entry<String, Long>> candidates = repo.totalsAtLeast(day, month,
                Math.max(1, (lowest * WARN_PERCENT + 99) / 100));
        Map<String, Quota> set = repo.quotas(candidates.stream().map(e -> e.getKey().substring(
                e.getKey().indexOf(' ') + 1)).distinct().toList());
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : candidates) {
            String period = e.getKey().substring(0, e.getKey().indexOf(' '));
            String bucket = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            Limits l = effective(set.get(bucket));
            Long limit = period.equals("day") ? l.day() : l.month();
            if (limit == null || e.getValue() * 100 < limit * WARN_PERCENT) {
                continue;
            }
            Instant until = Instant.ofEpochSecond(period.equals("day") ? day + UsageRepository.DAY : nextMonth(now));
            out.add(new Alert(bucket.substring(0, bucket.indexOf(':')), bucket.substring(bucket.indexOf(':') + 1),
                    period, limit, e.getValue(), until));
        }
        out.sort(Comparator.comparingLong((Alert a) -> -a.used() * 1000 / a.limit()).thenComparing(Alert::kind)
                .thenComparing(Alert::value).thenComparing(Alert::policy));
        return out.size() > max ? out.subList(0, max) : out;
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    // ---- quotas ----

    /** Whose quota a route names: a user, an API key or a client. */
    public enum Owner { user, api_key, client }

    /** The bucket of {@code owner} {@code id}, or 404 when there is no such user, API key or client. */
    public String bucketOf(Owner owner, String id) {
        switch (owner) {
            case user -> {
                if (id.length() > 64 || !repo.userExists(id)) {
                    throw new ServerException(ServerError.USER_NOT_FOUND, "there is no user with that id");
                }
                return "sub:" + id;
            }
            case api_key, client -> {
                Optional<String> kind = id.length() > 64 ? Optional.empty() : repo.credentialKind(id);
                if (kind.isEmpty() || !kind.get().equals(owner.name())) {
                    throw owner == Owner.client
                            ? new ServerException(ServerError.CLIENT_NOT_FOUND, "there is no client with that id")
                            : new ServerException(ServerError.API_KEY_NOT_FOUND, "there is no API key with that id");
                }
                return "client:" + id;
            }
        }
        throw new IllegalStateException();
    }

    /** The limits set for {@code bucket} itself (nulls: the defaults apply). */
    public Limits quota(String bucket) {
        return repo.quota(bucket).map(q -> new Limits(q.perMinute(), q.perDay(), q.perMonth()))
                .orElse(new Limits(null, null, null));
    }

    /**
     * Sets a bucket's own limits, and takes back any used-up quota announced for it: the next batch announces it
     * again if it is still over the new limit.
     */
    public void setQuota(String bucket, Limits limits) {
        repo.putQuota(bucket, limits.minute(), limits.day(), limits.month(), clock.instant());
        lift(bucket);
    }

    public boolean deleteQuota(String bucket) {
        boolean deleted = repo.deleteQuota(bucket);
        lift(bucket);
        return deleted;
    }

    private void lift(String bucket) {
        int colon = bucket.indexOf(':');
        revocations.liftQuota(bucket.substring(0, colon), bucket.substring(colon + 1));
    }

    /** What applies to {@code bucket}: its own limits, each falling back to the default. */
    public Limits effectiveLimits(String bucket) {
        return effective(repo.quota(bucket).orElse(null));
    }

    /** The {@code jot_limits} claim of a token of the bucket {@code kind}/{@code value}, or null when unlimited. */
    public Map<String, Object> claim(String kind, String value) {
        Limits l = effectiveLimits(kind + ":" + value);
        return l.any() ? l.claim() : null;
    }

    private Limits effective(Quota q) {
        if (q == null) {
            return defaults;
        }
        return new Limits(q.perMinute() != null ? q.perMinute() : defaults.minute(),
                q.perDay() != null ? q.perDay() : defaults.day(),
                q.perMonth() != null ? q.perMonth() : defaults.month());
    }

    // ---- helpers ----

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static long dayStart(long epochSecond) {
        return epochSecond - Math.floorMod(epochSecond, UsageRepository.DAY);
    }

    static long monthStart(long epochSecond) {
        LocalDate d = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        return d.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    static long nextMonth(long epochSecond) {
        LocalDate d = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1)
                .plusMonths(1);
        return d.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
}
