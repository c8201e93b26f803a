package dev.jot.server.session;

import static dev.jot.server.store.Timestamps.utc;

import dev.jot.server.session.Revocations.Kind;
import dev.jot.server.store.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code revocations}: the access-token denylist as every instance sees it. */
final class RevocationRepository {

    /** One denial: tokens whose {@code kind} claim equals {@code id} are refused until {@code until}. */
    record Denial(Kind kind, String id, Instant until) {
    }

    private final Jdbi jdbi;

    RevocationRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Denies {@code kind}/{@code id} until {@code until} in the caller's transaction; twice keeps the later expiry. */
    void deny(Handle tx, Kind kind, String id, Instant now, Instant until) {
        // ON CONFLICT DO NOTHING (H2 accepts it in PostgreSQL mode): two revocations of one token at once are
        // not an error; then the later expiry wins.
        tx.createUpdate("INSERT INTO revocations (kind, id, revoked_at, expires_at) VALUES (:kind, :id, :now, :until) "
                        + "ON CONFLICT DO NOTHING")
                .bind("kind", kind.name()).bind("id", id).bind("now", utc(now)).bind("until", utc(until))
                .execute();
        tx.createUpdate("UPDATE revocations SET expires_at = :until WHERE kind = :kind AND id = :id AND expires_at < :until")
                .bind("kind", kind.name()).bind("id", id).bind("until", utc(until)).execute();
    }

    /** The denial of {@code kind}/{@code id} if it is stored and still live at {@code now}. */
    Optional<Denial> find(Kind kind, String id, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, id, expires_at FROM revocations "
                        + "WHERE kind = :kind AND id = :id AND expires_at > :now")
                .bind("kind", kind.name()).bind("id", id).bind("now", utc(now))
                .map((rs, ctx) -> new Denial(kind, rs.getString("id"), Timestamps.read(rs, "expires_at")))
                .findOne());
    }

    /** Denials made since {@code from} that are live at {@code now}. */
    List<Denial> liveSince(Instant from, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, id, expires_at FROM revocations "
                        + "WHERE revoked_at >= :from AND expires_at > :now")
                .bind("from", utc(from)).bind("now", utc(now))
                .map((rs, ctx) -> new Denial(Kind.valueOf(rs.getString("kind")), rs.getString("id"),
                        Timestamps.read(rs, "expires_at")))
                .list());
    }

    /** Deletes rows no token can need any more. */
    int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM revocations WHERE expires_at < :now")
                .bind("now", utc(now)).execute());
    }
}
