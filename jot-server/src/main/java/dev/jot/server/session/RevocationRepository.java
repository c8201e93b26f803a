package dev.jot.server.session;

import static dev.jot.server.store.Timestamps.utc;

import dev.jot.server.session.Revocations.Kind;
import dev.jot.server.store.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code revocations}: the access-token denylist as every instance sees it. */
final class RevocationRepository {
    private static final String COLUMNS = "seq, kind, id, revoked_at, expires_at";
    /**
     * Only the kinds this version knows: during a rolling upgrade a newer instance may store a kind an older one
     * cannot apply, and the older one then skips it rather than failing its resync and feed.
     */
    private static final String KNOWN_KINDS = "kind IN (" + java.util.Arrays.stream(Kind.values())
            .map(k -> "'" + k.name() + "'").collect(java.util.stream.Collectors.joining(", ")) + ")";

    /**
     * One denial: tokens whose {@code kind} claim equals {@code id} are refused until {@code until}; for kind
     * {@code sub}, those issued up to {@code revokedAt}. {@code seq} orders denials for the feed.
     */
    record Denial(long seq, Kind kind, String id, Instant revokedAt, Instant until) {
    }

    private final Jdbi jdbi;

    RevocationRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Denies {@code kind}/{@code id} from {@code now} until {@code until} in the caller's transaction. A denial
     * already stored with an earlier expiry is replaced (a new row, so a new {@code seq} the feed announces); one
     * with a later expiry stays.
     */
    void deny(Handle tx, Kind kind, String id, Instant now, Instant until) {
        tx.createUpdate("DELETE FROM revocations WHERE kind = :kind AND id = :id AND expires_at <= :until")
                .bind("kind", kind.name()).bind("id", id).bind("until", utc(until)).execute();
        // ON CONFLICT DO NOTHING (H2 accepts it in PostgreSQL mode): two revocations of one token at once are
        // not an error.
        tx.createUpdate("INSERT INTO revocations (kind, id, revoked_at, expires_at) VALUES (:kind, :id, :now, :until) "
                        + "ON CONFLICT DO NOTHING")
                .bind("kind", kind.name()).bind("id", id).bind("now", utc(now)).bind("until", utc(until))
                .execute();
    }

    /** Removes the stored denial {@code kind}/{@code id} in the caller's transaction (a withdrawn quota). */
    void delete(Handle tx, Kind kind, String id) {
        tx.createUpdate("DELETE FROM revocations WHERE kind = :kind AND id = :id")
                .bind("kind", kind.name()).bind("id", id).execute();
    }

    /** Runs {@code work} in one transaction. */
    void inTransaction(java.util.function.Consumer<Handle> work) {
        jdbi.useTransaction(work::accept);
    }

    /** The denial of {@code kind}/{@code id} if it is stored and still live at {@code now}. */
    Optional<Denial> find(Kind kind, String id, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM revocations "
                        + "WHERE kind = :kind AND id = :id AND expires_at > :now")
                .bind("kind", kind.name()).bind("id", id).bind("now", utc(now))
                .map((rs, ctx) -> denial(rs))
                .findOne());
    }

    /** Denials made since {@code from} that are live at {@code now}, in sequence order. */
    List<Denial> liveSince(Instant from, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM revocations "
                        + "WHERE revoked_at >= :from AND expires_at > :now AND " + KNOWN_KINDS + " ORDER BY seq")
                .bind("from", utc(from)).bind("now", utc(now))
                .map((rs, ctx) -> denial(rs))
                .list());
    }

    /** Live rows of one kind (used-up quotas, say), in sequence order. */
    List<Denial> live(Kind kind, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM revocations "
                        + "WHERE kind = :kind AND expires_at > :now ORDER BY seq")
                .bind("kind", kind.name()).bind("now", utc(now))
                .map((rs, ctx) -> denial(rs))
                .list());
    }

    /**
     * Live denials numbered after {@code seq}, or made since {@code from} whatever their number (a transaction
     * that took a lower number may commit after a higher one), in sequence order.
     */
    List<Denial> liveAfter(long seq, Instant from, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM revocations "
                        + "WHERE (seq > :seq OR revoked_at >= :from) AND expires_at > :now AND " + KNOWN_KINDS
                        + " ORDER BY seq")
                .bind("seq", seq).bind("from", utc(from)).bind("now", utc(now))
                .map((rs, ctx) -> denial(rs))
                .list());
    }

    /** The highest sequence number stored (0 when none). */
    long lastSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM revocations")
                .mapTo(Long.class).one());
    }

    /** Deletes rows no token can need any more. */
    int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM revocations WHERE expires_at < :now")
                .bind("now", utc(now)).execute());
    }

    private static Denial denial(ResultSet rs) throws SQLException {
        return new Denial(rs.getLong("seq"), Kind.valueOf(rs.getString("kind")), rs.getString("id"),
                Timestamps.read(rs, "revoked_at"), Timestamps.read(rs, "expires_at"));
    }
}
