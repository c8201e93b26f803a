package dev.jot.server.throttle;

import dev.jot.server.store.Database;
import dev.jot.server.store.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * SQL for {@code throttles}. A failure is counted by a conditional {@code UPDATE} (the row lock makes concurrent
 * increments exact, on one instance or many), or an {@code INSERT} when the key has no row yet; a lost insert race
 * retries the update. H2 lacks PostgreSQL's {@code ON CONFLICT DO UPDATE}, so this portable form serves both.
 */
final class ThrottleRepository {
    private final Jdbi jdbi;
    /**
     * H2 answers concurrent updates of one row with lock-timeout and concurrent-update errors rather than waiting
     * as PostgreSQL does; its database lives in this one process, so its writers take turns here instead.
     */
    private final ReentrantLock h2Writers;

    ThrottleRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
        boolean h2;
        try {
            h2 = jdbi.withHandle(h -> h.getConnection().getMetaData().getURL().startsWith("jdbc:h2:"));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot tell which database this is", e);
        }
        this.h2Writers = h2 ? new ReentrantLock() : null;
    }

    private <T> T writing(java.util.function.Supplier<T> write) {
        if (h2Writers == null) {
            return write.get();
        }
        h2Writers.lock();
        try {
            return write.get();
        } finally {
            h2Writers.unlock();
        }
    }

    /** One key's state. */
    record Row(String key, int failures, Instant lastFailureAt, Instant knownUntil) {
    }

    /** The rows of {@code keys} that exist, by key: one read before any hashing. */
    Map<String, Row> read(List<String> keys) {
        return jdbi.withHandle(h -> h.createQuery("SELECT throttle_key, failures, last_failure_at, known_until "
                        + "FROM throttles WHERE throttle_key IN (<keys>)")
                .bindList("keys", keys)
                .map((rs, ctx) -> new Row(rs.getString("throttle_key"), rs.getInt("failures"),
                        Timestamps.read(rs, "last_failure_at"), Timestamps.read(rs, "known_until")))
                .stream().collect(Collectors.toMap(Row::key, Function.identity())));
    }

    /**
     * Counts one failure for each key (in key order, so that two transactions never wait for each other in a
     * cycle): a count whose last failure is before {@code forgetBefore} starts again at one. Returns the new counts.
     */
    Map<String, Integer> countFailure(List<String> keys, Instant now, Instant forgetBefore) {
        List<String> sorted = keys.stream().sorted().distinct().toList();
        return writing(() -> jdbi.inTransaction(h -> {
            for (String key : sorted) {
                count(h, key, now, forgetBefore);
            }
            return read(h, sorted);
        }));
    }

    private static void count(Handle h, String key, Instant now, Instant forgetBefore) {
        for (int attempt = 0; ; attempt++) {
            int updated = h.createUpdate("""
                            UPDATE throttles
                               SET failures = CASE WHEN last_failure_at IS NULL OR last_failure_at < :forget
                                                   THEN 1 ELSE failures + 1 END,
                                   last_failure_at = :now
                             WHERE throttle_key = :key""")
                    .bind("key", key).bind("now", Timestamps.utc(now)).bind("forget", Timestamps.utc(forgetBefore))
                    .execute();
            if (updated == 1) {
                return;
            }
            if (insertIfAbsent(h, key, 1, now, null)) {
                return;
            }
            if (attempt > 3) {
                throw new IllegalStateException("throttle row " + key + " neither updates nor inserts");
            }
        }
    }

    /**
     * A successful password check: the account's count and the pair's start again, and the pair is marked a known
     * address of the account until {@code knownUntil}.
     */
    void succeeded(String accountKey, String pairKey, Instant knownUntil) {
        writing(() -> jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE throttles SET failures = 0 WHERE throttle_key = :key AND failures > 0")
                    .bind("key", accountKey).execute();
            int updated = h.createUpdate("UPDATE throttles SET failures = 0, known_until = :known WHERE throttle_key = :key")
                    .bind("key", pairKey).bind("known", Timestamps.utc(knownUntil)).execute();
            if (updated == 0 && !insertIfAbsent(h, pairKey, 0, null, knownUntil)) {
                h.createUpdate("UPDATE throttles SET failures = 0, known_until = :known WHERE throttle_key = :key")
                        .bind("key", pairKey).bind("known", Timestamps.utc(knownUntil)).execute();
            }
            return null;
        }));
    }

    /**
     * Inserts a row; false when another transaction inserted the key first. PostgreSQL aborts a transaction on
     * any error, so the insert runs under a savepoint that a unique violation rolls back to.
     */
    private static boolean insertIfAbsent(Handle h, String key, int failures, Instant lastFailure, Instant knownUntil) {
        h.savepoint("throttle_insert");
        try {
            h.createUpdate("INSERT INTO throttles (throttle_key, failures, last_failure_at, known_until) "
                            + "VALUES (:key, :failures, :last, :known)")
                    .bind("key", key).bind("failures", failures)
                    .bindByType("last", Timestamps.utc(lastFailure), java.time.OffsetDateTime.class)
                    .bindByType("known", Timestamps.utc(knownUntil), java.time.OffsetDateTime.class)
                    .execute();
            h.release("throttle_insert");
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Database.isUniqueViolation(e)) {
                h.rollbackToSavepoint("throttle_insert");
                return false;
            }
            throw e;
        }
    }

    private static Map<String, Integer> read(Handle h, List<String> keys) {
        return h.createQuery("SELECT throttle_key, failures FROM throttles WHERE throttle_key IN (<keys>)")
                .bindList("keys", keys)
                .map((rs, ctx) -> Map.entry(rs.getString("throttle_key"), rs.getInt("failures")))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Rows with failures counted since {@code since}, most failures first (for administrators). */
    List<Row> withFailuresSince(Instant since, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT throttle_key, failures, last_failure_at, known_until FROM throttles
                         WHERE failures > 0 AND last_failure_at >= :since
                         ORDER BY failures DESC, throttle_key LIMIT :limit""")
                .bind("since", Timestamps.utc(since)).bind("limit", limit)
                .map((rs, ctx) -> new Row(rs.getString("throttle_key"), rs.getInt("failures"),
                        Timestamps.read(rs, "last_failure_at"), Timestamps.read(rs, "known_until")))
                .list());
    }

    /** Forgets the failures of {@code key} (a pair stays a known address); the number of rows changed. */
    int clear(String key) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE throttles SET failures = 0 WHERE throttle_key = :key AND failures > 0")
                .bind("key", key).execute());
    }

    /** Forgets the failures of an account and of every pair of it. */
    int clearAccount(String accountKey, String pairPrefix) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE throttles SET failures = 0
                         WHERE failures > 0 AND (throttle_key = :key OR throttle_key LIKE :pairs ESCAPE '!')""")
                .bind("key", accountKey)
                .bind("pairs", pairPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
                .execute());
    }

    /** Deletes rows that hold nothing any more: failures forgotten and no known address still in force. */
    int purge(Instant now, Instant forgetBefore) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM throttles
                         WHERE (failures = 0 OR last_failure_at IS NULL OR last_failure_at < :forget)
                           AND (known_until IS NULL OR known_until < :now)""")
                .bind("now", Timestamps.utc(now)).bind("forget", Timestamps.utc(forgetBefore))
                .execute());
    }
}
