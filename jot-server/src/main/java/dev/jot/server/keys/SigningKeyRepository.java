package dev.jot.server.keys;

import dev.jot.server.store.Timestamps;
import dev.jot.server.store.ClusterEvents;
import dev.jot.server.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * SQL for {@code signing_keys}. Every change is a conditional write in one transaction that also announces it on
 * {@link ClusterEvents} (topic {@value #TOPIC}), so several instances sharing the database can race without a
 * read-then-write window: the loser's write matches no row (or hits the {@code ring_slot} UNIQUE constraint) and
 * changes nothing.
 */
final class SigningKeyRepository {
    static final String TOPIC = "keys";

    private static final String COLUMNS = "kid, alg, status, private_jwk_encrypted, public_jwk, created_at, "
            + "activated_at, retired_at, published_until";

    private final Jdbi jdbi;
    private final ClusterEvents events;

    SigningKeyRepository(Jdbi jdbi, ClusterEvents events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /**
     * The ring's rows: next and active keys, and retired keys either still published at {@code now} or retired
     * after {@code retiredAfter} (an instance may keep those published longer, see {@link KeyRing}). Active first,
     * then next, then retired ones newest first: the order of the published JWKS.
     */
    List<StoredKey> load(Instant now, Instant retiredAfter) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM signing_keys
                        WHERE status <> 'retired' OR published_until > :now OR retired_at > :retiredAfter
                        ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'next' THEN 1 ELSE 2 END,
                                 COALESCE(retired_at, created_at) DESC, kid""")
                .bind("now", Timestamps.utc(now))
                .bind("retiredAfter", Timestamps.utc(retiredAfter))
                .map((rs, ctx) -> row(rs))
                .list());
    }

    /**
     * Inserts a first active key or a next key. False when the ring already has a key in that place: another
     * instance got there first (the {@code ring_slot} UNIQUE constraint).
     */
    boolean insert(StoredKey k) {
        try {
            jdbi.useTransaction(h -> {
                insert(h, k);
                events.publish(h, TOPIC, k.kid());
            });
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The rotation, as one compare-and-swap: {@code activeKid} retires (published until {@code publishedUntil},
     * private half erased), {@code nextKid} signs from {@code now}, {@code newNext} becomes the next key. False, and
     * nothing changed, when the ring is no longer {@code (activeKid, nextKid)}: another rotation won.
     */
    boolean rotate(String activeKid, String nextKid, StoredKey newNext, Instant now, Instant publishedUntil) {
        try {
            return jdbi.inTransaction(h -> {
                // Conditional on the status, not only the kid: on PostgreSQL a concurrent rotation holds these rows'
                // locks, and once it commits this statement re-reads them, finds the status changed and matches none.
                int retired = h.createUpdate("""
                                UPDATE signing_keys
                                   SET status = 'retired', ring_slot = NULL, retired_at = :now,
                                       published_until = :until, private_jwk_encrypted = ''
                                 WHERE kid = :kid AND status = 'active'""")
                        .bind("now", Timestamps.utc(now)).bind("until", Timestamps.utc(publishedUntil)).bind("kid", activeKid)
                        .execute();
                int promoted = retired != 1 ? 0 : h.createUpdate("""
                                UPDATE signing_keys SET status = 'active', ring_slot = 'active', activated_at = :now
                                 WHERE kid = :kid AND status = 'next'""")
                        .bind("now", Timestamps.utc(now)).bind("kid", nextKid)
                        .execute();
                if (promoted != 1) {
                    h.rollback();
                    return false;
                }
                insert(h, newNext);
                events.publish(h, TOPIC, nextKid);
                return true;
            });
        } catch (UnableToExecuteStatementException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Withdraws a next key that never signed (its algorithm is no longer the configured one). */
    void discardNext(String kid, Instant now) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("""
                            UPDATE signing_keys
                               SET status = 'retired', ring_slot = NULL, retired_at = :now, published_until = :now,
                                   private_jwk_encrypted = ''
                             WHERE kid = :kid AND status = 'next'""")
                    .bind("now", Timestamps.utc(now)).bind("kid", kid)
                    .execute();
            if (n == 1) {
                events.publish(h, TOPIC, kid);
            }
        });
    }

    private static void insert(Handle h, StoredKey k) {
        h.createUpdate("INSERT INTO signing_keys (" + COLUMNS + ", ring_slot) VALUES (:kid, :alg, :status, :enc, "
                        + ":pub, :created, :activated, :retired, :until, :slot)")
                .bind("kid", k.kid()).bind("alg", k.alg()).bind("status", k.status())
                .bind("enc", k.privateJwkEncrypted()).bind("pub", k.publicJwk())
                .bind("created", Timestamps.utc(k.createdAt()))
                // Typed, so that a null binds as a timestamp on both drivers.
                .bindByType("activated", Timestamps.utc(k.activatedAt()), OffsetDateTime.class)
                .bindByType("retired", Timestamps.utc(k.retiredAt()), OffsetDateTime.class)
                .bindByType("until", Timestamps.utc(k.publishedUntil()), OffsetDateTime.class)
                .bindByType("slot", k.isRetired() ? null : k.status(), String.class)
                .execute();
    }

    private static StoredKey row(ResultSet rs) throws SQLException {
        return new StoredKey(rs.getString("kid"), rs.getString("alg"), rs.getString("status"),
                rs.getString("private_jwk_encrypted"), rs.getString("public_jwk"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "activated_at"), Timestamps.read(rs, "retired_at"), Timestamps.read(rs, "published_until"));
    }
}
