package dev.jot.server.usage;

import static dev.jot.server.store.Timestamps.utc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * SQL for usage counts, batch ids, quota totals and quotas. The one difference between the databases: adding to a
 * row that may not exist yet is {@code INSERT … ON CONFLICT DO UPDATE} on PostgreSQL and {@code MERGE … WHEN
 * MATCHED THEN UPDATE SET requests = t.requests + s.requests} on H2 (which has no {@code DO UPDATE}); either way one
 * statement per table per batch, its rows passed as arrays and read back with {@code UNNEST}. On PostgreSQL the
 * minute table is partitioned by UTC day ({@code usage_minutes_pYYYYMMDD}).
 */
final class UsageRepository {
    static final long DAY = 86_400;
    static final String[] USAGE_COLUMNS = {"start_at", "subject", "client_id", "audience", "route", "status"};
    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** The three granularities, finest first. */
    enum Table {
        MINUTES("usage_minutes", 60), HOURS("usage_hours", 3600), DAYS("usage_days", DAY);

        final String name;
        final long seconds;

        Table(String name, long seconds) {
            this.name = name;
            this.seconds = seconds;
        }
    }

    /** One usage row; an absent client or audience is {@code ""}. */
    record Row(long start, String subject, String clientId, String audience, String route, String status,
               long requests) {
    }

    /** A limit row of {@code usage_quotas}; null: not set here. */
    record Quota(String bucket, Long perMinute, Long perDay, Long perMonth) {
    }

    /** One point of a usage read: the period's start, the group's value ({@code ""} when not grouped), status, count. */
    record Point(long start, String group, String status, long requests) {
    }

    private final Jdbi jdbi;
    private final boolean postgres;
    /** Days whose minute partition is known to exist (PostgreSQL). */
    private final Set<Long> partitions = ConcurrentHashMap.newKeySet();

    UsageRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.postgres = jdbi.withHandle(h -> {
            try {
                return h.getConnection().getMetaData().getDatabaseProductName();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot tell which database this is", e);
            }
        }).toLowerCase(java.util.Locale.ROOT).contains("postgres");
    }

    boolean postgres() {
        return postgres;
    }

    <T> T inTransaction(Function<Handle, T> work) {
        return jdbi.inTransaction(work::apply);
    }

    // ---- ingest ----

    /** Records {@code batchId}; false when it was recorded before (the batch is a duplicate). */
    boolean insertBatchId(Handle tx, String batchId, long now) {
        return tx.createUpdate("INSERT INTO usage_batches (batch_id, received_at) VALUES (:id, :now) "
                        + "ON CONFLICT DO NOTHING")
                .bind("id", batchId).bind("now", now).execute() == 1;
    }

    /** Keeps an accepted batch (its {@link PendingCodec} form) until it is applied. */
    void insertPending(Handle tx, String batchId, long now, byte[] body) {
        tx.createUpdate("INSERT INTO usage_pending (batch_id, received_at, body) VALUES (:id, :now, :body)")
                .bind("id", batchId).bind("now", now).bind("body", body).execute();
    }

    /** Whether {@code batchId} has been received before. */
    boolean batchKnown(String batchId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches WHERE batch_id = :id")
                .bind("id", batchId).mapTo(Long.class).one()) > 0;
    }

    /**
     * A pending batch: its id, its {@link PendingCodec} form, and whether its counts are in the quota totals already
     * ({@code counted}).
     */
    record Pending(String batchId, byte[] body, boolean counted) {
    }

    /**
     * The oldest pending batches ({@code uncountedOnly}: of those not yet in the quota totals), at most {@code limit},
     * locked for the caller's transaction (another instance that adds up at the same time waits, then finds them
     * gone or counted).
     */
    List<Pending> lockPending(Handle tx, int limit, boolean uncountedOnly) {
        return tx.createQuery("SELECT batch_id, body, counted FROM usage_pending"
                        + (uncountedOnly ? " WHERE counted = FALSE" : "")
                        + " ORDER BY received_at, batch_id LIMIT :limit FOR UPDATE")
                .bind("limit", limit)
                .map((rs, ctx) -> new Pending(rs.getString("batch_id"), rs.getBytes("body"), rs.getBoolean("counted")))
                .list();
    }

    /** Notes that these pending batches' counts are in the quota totals. */
    void markCounted(Handle tx, List<String> batchIds) {
        tx.createUpdate("UPDATE usage_pending SET counted = TRUE WHERE batch_id = ANY(:ids)")
                .bindArray("ids", String.class, batchIds).execute();
    }

    void deletePending(Handle tx, List<String> batchIds) {
        tx.createUpdate("DELETE FROM usage_pending WHERE batch_id = ANY(:ids)")
                .bindArray("ids", String.class, batchIds).execute();
    }

    /**
     * Whether any batch waits to be added up ({@code uncountedOnly}: to the quota totals): a cheap look before taking
     * locks.
     */
    boolean anyPending(boolean uncountedOnly) {
        return jdbi.withHandle(h -> h.createQuery("SELECT batch_id FROM usage_pending"
                        + (uncountedOnly ? " WHERE counted = FALSE" : "") + " LIMIT 1")
                .mapTo(String.class).findOne()).isPresent();
    }

    /** Adds {@code rows} (distinct keys) to {@code table}, in one statement. */
    void addUsage(Handle tx, Table table, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String source = "SELECT * FROM UNNEST(:a0, :a1, :a2, :a3, :a4, :a5, :a6) "
                + "AS s(start_at, subject, client_id, audience, route, status, requests)";
        Update u = tx.createUpdate(add(table.name, USAGE_COLUMNS, source));
        u.bindArray("a0", Long.class, rows.stream().map(Row::start).toList());
        u.bindArray("a1", String.class, rows.stream().map(Row::subject).toList());
        u.bindArray("a2", String.class, rows.stream().map(Row::clientId).toList());
        u.bindArray("a3", String.class, rows.stream().map(Row::audience).toList());
        u.bindArray("a4", String.class, rows.stream().map(Row::route).toList());
        u.bindArray("a5", String.class, rows.stream().map(Row::status).toList());
        u.bindArray("a6", Long.class, rows.stream().map(Row::requests).toList());
        u.execute();
    }

    /** Adds refused-request counts per (minute, reason). */
    void addRejected(Handle tx, List<Long> starts, List<String> reasons, List<Long> counts) {
        if (starts.isEmpty()) {
            return;
        }
        tx.createUpdate(add("usage_rejected", new String[] {"start_at", "reason"},
                        "SELECT * FROM UNNEST(:a0, :a1, :a2) AS s(start_at, reason, requests)"))
                .bindArray("a0", Long.class, starts).bindArray("a1", String.class, reasons)
                .bindArray("a2", Long.class, counts).execute();
    }

    /** Adds to the quota totals of (bucket, period, period start). */
    void addBuckets(Handle tx, List<String> buckets, List<String> periods, List<Long> starts, List<Long> counts) {
        if (buckets.isEmpty()) {
            return;
        }
        tx.createUpdate(add("usage_buckets", new String[] {"start_at", "period", "bucket"},
                        "SELECT * FROM UNNEST(:a2, :a1, :a0, :a3) AS s(start_at, period, bucket, requests)"))
                .bindArray("a0", String.class, buckets).bindArray("a1", String.class, periods)
                .bindArray("a2", Long.class, starts).bindArray("a3", Long.class, counts).execute();
    }

    /**
     * One statement that adds the {@code requests} of {@code source}'s rows (columns {@code keys} and
     * {@code requests}, keys distinct) to {@code table}'s, inserting rows that do not exist.
     */
    private String add(String table, String[] keys, String source) {
        String cols = String.join(", ", keys) + ", requests";
        if (postgres) {
            return "INSERT INTO " + table + " (" + cols + ") " + source + " ON CONFLICT (" + String.join(", ", keys)
                    + ") DO UPDATE SET requests = " + table + ".requests + EXCLUDED.requests";
        }
        StringBuilder on = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String k : keys) {
            on.append(on.isEmpty() ? "" : " AND ").append("t.").append(k).append(" = s.").append(k);
            values.append("s.").append(k).append(", ");
        }
        return "MERGE INTO " + table + " t USING (" + source + ") s ON " + on
                + " WHEN MATCHED THEN UPDATE SET requests = t.requests + s.requests"
                + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (" + values + "s.requests)";
    }

    // ---- partitions (PostgreSQL) ----

    /** Creates the minute partition of the UTC day starting at {@code day} unless it exists. */
    void ensurePartition(long day) {
        if (!postgres || partitions.contains(day)) {
            return;
        }
        String name = partitionName(day);
        // Two appliers (two instances, or the apply job and a read) may want the same partition at once, often inside
        // their apply transaction: a plain CREATE ... IF NOT EXISTS can then fail on the catalog's unique index and
        // abort that transaction. The advisory lock (held to the end of the enclosing transaction) serialises them;
        // the second then finds the table committed and does nothing.
        jdbi.useHandle(h -> h.execute("DO $$ BEGIN PERFORM pg_advisory_xact_lock(" + PARTITION_LOCK + "); "
                + "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF usage_minutes "
                + "FOR VALUES FROM (" + day + ") TO (" + (day + DAY) + "); END $$"));
        partitions.add(day);
    }

    /** The advisory lock key that serialises creating minute partitions (an arbitrary constant: "jotusage"). */
    private static final long PARTITION_LOCK = 0x6a6f747573616765L;

    /** The days (their start) that have a minute partition (PostgreSQL), ascending. */
    List<Long> partitionDays() {
        if (!postgres) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT c.relname FROM pg_inherits i "
                        + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                        + "JOIN pg_namespace n ON n.oid = p.relnamespace "
                        + "WHERE p.relname = 'usage_minutes' AND n.nspname = current_schema()")
                .mapTo(String.class).list()).stream()
                .filter(n -> n.matches("usage_minutes_p[0-9]{8}"))
                .map(n -> LocalDate.parse(n.substring("usage_minutes_p".length()), PARTITION_DAY)
                        .atStartOfDay(ZoneOffset.UTC).toEpochSecond())
                .sorted().toList();
    }

    static String partitionName(long day) {
        return "usage_minutes_p" + PARTITION_DAY.format(Instant.ofEpochSecond(day).atZone(ZoneOffset.UTC));
    }

    // ---- roll-ups ----

    /**
     * Moves the minute rows older than {@code cutoff} (a UTC day start) into hours, in one transaction: on
     * PostgreSQL a whole partition at a time, dropped afterwards; on H2 by deleting the moved rows.
     */
    void rollUpMinutes(long cutoff) {
        if (postgres) {
            for (long day : partitionDays()) {
                if (day + DAY > cutoff) {
                    continue;
                }
                String name = partitionName(day);
                jdbi.useTransaction(tx -> {
                    tx.execute(add(Table.HOURS.name, USAGE_COLUMNS, rolledUp(name, 3600, null)));
                    tx.execute("DROP TABLE " + name);
                });
                partitions.remove(day);
            }
            return;
        }
        moveTo(Table.MINUTES, Table.HOURS, cutoff);
    }

    /** Moves the hour rows older than {@code cutoff} into days. */
    void rollUpHours(long cutoff) {
        moveTo(Table.HOURS, Table.DAYS, cutoff);
    }

    private void moveTo(Table from, Table to, long cutoff) {
        jdbi.useTransaction(tx -> {
            tx.createUpdate(add(to.name, USAGE_COLUMNS, rolledUp(from.name, to.seconds, ":cutoff")))
                    .bind("cutoff", cutoff).execute();
            tx.createUpdate("DELETE FROM " + from.name + " WHERE start_at < :cutoff").bind("cutoff", cutoff).execute();
        });
    }

    private static String rolledUp(String table, long seconds, String before) {
        return "SELECT start_at - MOD(start_at, " + seconds + ") AS start_at, subject, client_id, audience, route, "
                + "status, SUM(requests) AS requests FROM " + table
                + (before == null ? "" : " WHERE start_at < " + before)
                + " GROUP BY start_at - MOD(start_at, " + seconds + "), subject, client_id, audience, route, status";
    }

    /** Deletes batch ids received before {@code before}, totals of periods before {@code totalsBefore}, old refusals. */
    void purge(long batchesBefore, long totalsBefore, long rejectedBefore) {
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM usage_batches WHERE received_at < :t").bind("t", batchesBefore).execute();
            h.createUpdate("DELETE FROM usage_buckets WHERE start_at < :t").bind("t", totalsBefore).execute();
            h.createUpdate("DELETE FROM usage_rejected WHERE start_at < :t").bind("t", rejectedBefore).execute();
        });
    }

    // ---- reads ----

    /**
     * Requests per (period of {@code granularity} seconds, group, status class) in [from, to), from all three tables
     * (each request is in exactly one), filtered by equality on {@code filters} (column → value); {@code group} is a
     * column or null. At most {@code max} points, in time order.
     */
    List<Point> points(Map<String, String> filters, long from, long to, long granularity, String group, int max) {
        String where = where(filters);
        String g = group == null ? "''" : group;
        StringBuilder union = new StringBuilder();
        for (Table t : Table.values()) {
            union.append(union.isEmpty() ? "" : " UNION ALL ")
                    .append("SELECT start_at, ").append(g).append(" AS grp, status, requests FROM ").append(t.name)
                    .append(" WHERE start_at >= :from AND start_at < :to").append(where);
        }
        String sql = "SELECT t, grp, status, SUM(requests) AS n FROM (SELECT start_at - MOD(start_at, " + granularity
                + ") AS t, grp, status, requests FROM (" + union + ") u) v GROUP BY t, grp, status "
                + "ORDER BY t, grp, status LIMIT :max";
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("from", from).bind("to", to).bind("max", max);
            filters.forEach((k, v) -> q.bind("f_" + k, v));
            return q.map((rs, ctx) -> new Point(rs.getLong("t"), rs.getString("grp"), rs.getString("status"),
                    rs.getLong("n"))).list();
        });
    }

    /** The {@code column} values with the most requests in [from, to), most first. */
    List<Map.Entry<String, Long>> top(String column, long from, long to, int limit) {
        StringBuilder union = new StringBuilder();
        for (Table t : Table.values()) {
            union.append(union.isEmpty() ? "" : " UNION ALL ").append("SELECT ").append(column)
                    .append(" AS k, requests FROM ").append(t.name)
                    .append(" WHERE start_at >= :from AND start_at < :to AND ").append(column).append(" <> ''");
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT k, SUM(requests) AS n FROM (" + union + ") u GROUP BY k "
                        + "ORDER BY n DESC, k LIMIT :limit")
                .bind("from", from).bind("to", to).bind("limit", limit)
                .map((rs, ctx) -> Map.entry(rs.getString("k"), rs.getLong("n"))).list());
    }

    private static String where(Map<String, String> filters) {
        StringBuilder w = new StringBuilder();
        for (String column : filters.keySet()) {
            if (!Set.of(USAGE_COLUMNS).contains(column)) {
                throw new IllegalArgumentException("not a usage column: " + column);
            }
            w.append(" AND ").append(column).append(" = :f_").append(column);
        }
        return w.toString();
    }

    // ---- quota totals and quotas ----

    /** Totals of {@code buckets} for the periods starting at {@code dayStart} (day) and {@code monthStart} (month). */
    Map<String, Long> totals(List<String> buckets, long dayStart, long monthStart) {
        if (buckets.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<String, Long> out = new HashMap<>();
            h.createQuery("SELECT bucket, period, requests FROM usage_buckets WHERE ((period = 'day' AND start_at = :d) "
                            + "OR (period = 'month' AND start_at = :m)) AND bucket = ANY(:b)")
                    .bind("d", dayStart).bind("m", monthStart).bindArray("b", String.class, buckets)
                    .map((rs, ctx) -> Map.entry(rs.getString("period") + " " + rs.getString("bucket"),
                            rs.getLong("requests")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Every bucket's total of the current day and month with at least {@code min} requests. */
    List<Map.Entry<String, Long>> totalsAtLeast(long dayStart, long monthStart, long min) {
        return jdbi.withHandle(h -> h.createQuery("SELECT bucket, period, requests FROM usage_buckets WHERE "
                        + "((period = 'day' AND start_at = :d) OR (period = 'month' AND start_at = :m)) "
                        + "AND requests >= :min ORDER BY bucket, period LIMIT 100000")
                .bind("d", dayStart).bind("m", monthStart).bind("min", min)
                .map((rs, ctx) -> Map.entry(rs.getString("period") + " " + rs.getString("bucket"),
                        rs.getLong("requests")))
                .list());
    }

    Map<String, Quota> quotas(List<String> buckets) {
        if (buckets.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<String, Quota> out = new HashMap<>();
            h.createQuery("SELECT bucket, per_minute, per_day, per_month FROM usage_quotas WHERE bucket = ANY(:b)")
                    .bindArray("b", String.class, buckets)
                    .map((rs, ctx) -> quota(rs)).forEach(q -> out.put(q.bucket(), q));
            return out;
        });
    }

    /** Every quota row that sets a day or month limit (for the alerts), at most 100,000. */
    List<Quota> quotasWithPeriods() {
        return jdbi.withHandle(h -> h.createQuery("SELECT bucket, per_minute, per_day, per_month FROM usage_quotas "
                        + "WHERE per_day IS NOT NULL OR per_month IS NOT NULL LIMIT 100000")
                .map((rs, ctx) -> quota(rs)).list());
    }

    Optional<Quota> quota(String bucket) {
        return Optional.ofNullable(quotas(List.of(bucket)).get(bucket));
    }

    void putQuota(String bucket, Long perMinute, Long perDay, Long perMonth, Instant now) {
        jdbi.useTransaction(tx -> {
            tx.createUpdate("DELETE FROM usage_quotas WHERE bucket = :b").bind("b", bucket).execute();
            tx.createUpdate("INSERT INTO usage_quotas (bucket, per_minute, per_day, per_month, updated_at) "
                            + "VALUES (:b, :m, :d, :mo, :now)")
                    .bind("b", bucket).bind("m", perMinute).bind("d", perDay).bind("mo", perMonth)
                    .bind("now", utc(now)).execute();
        });
    }

    boolean deleteQuota(String bucket) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM usage_quotas WHERE bucket = :b").bind("b", bucket)
                .execute()) > 0;
    }

    private static Quota quota(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Quota(rs.getString("bucket"), nullable(rs, "per_minute"), nullable(rs, "per_day"),
                nullable(rs, "per_month"));
    }

    private static Long nullable(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    // ---- whose quota: the owners the admin routes name ----

    boolean userExists(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE id = :id").bind("id", id)
                .mapTo(Long.class).one()) > 0;
    }

    /** The stored kind of credential {@code id} ({@code api_key} or {@code client}), if it exists. */
    Optional<String> credentialKind(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind FROM credentials WHERE id = :id").bind("id", id)
                .mapTo(String.class).findOne());
    }
}
