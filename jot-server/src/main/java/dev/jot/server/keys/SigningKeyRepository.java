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
            + "activated_at, retired_at, published_until, row_mac";

    private final Jdbi jdbi;
    private final ClusterEvents events;
    private final KeyMac mac;

    SigningKeyRepository(Jdbi jdbi, ClusterEvents events, KeyMac mac) {
        this.jdbi = jdbi;
        this.events = events;
        this.mac = mac;
    }

    /**
     * Gives every row its MAC when no row has one: the first start after MACs were introduced (V7_2) trusts the
     * rows it finds, once. After that a row without a MAC is one nobody with the master key wrote.
     */
    int addMissingMacs() {
        return jdbi.inTransaction(h -> {
            boolean any = h.createQuery("SELECT COUNT(*) FROM signing_keys WHERE row_mac IS NOT NULL")
                    .mapTo(Long.class).one() > 0;
            if (any) {
                return 0;
            }
            List<String> kids = h.createQuery("SELECT kid FROM signing_keys").mapTo(String.class).list();
            kids.forEach(kid -> seal(h, kid));
            return kids.size();
        });
    }

    /** Writes the MAC of the row as it now is (after a conditional update in the same transaction). */
    private void seal(Handle h, String kid) {
        StoredKey k = h.createQuery("SELECT " + COLUMNS + " FROM signing_keys WHERE kid = :kid").bind("kid", kid)
                .map((rs, ctx) -> row(rs)).one();
        h.createUpdate("UPDATE signing_keys SET row_mac = :mac WHERE kid = :kid")
                .bind("mac", mac.of(k)).bind("kid", kid).execute();
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
                seal(h, activeKid);
                seal(h, nextKid);
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
                seal(h, kid);
                events.publish(h, TOPIC, kid);
            }
        });
    }

    private void insert(Handle h, StoredKey k) {
        h.createUpdate("INSERT INTO signing_keys (" + COLUMNS + ", ring_slot) VALUES (:kid, :alg, :status, :enc, "
                        + ":pub, :created, :activated, :retired, :until, :mac, :slot)")
                .bind("mac", mac.of(k))
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
                Timestamps.read(rs, "activated_at"), Timestamps.read(rs, "retired_at"), Timestamps.read(rs, "published_until"),
                rs.getString("row_mac"));
    }
}
