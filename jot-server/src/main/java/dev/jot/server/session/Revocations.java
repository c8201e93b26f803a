package dev.jot.server.session;

import dev.jot.guard.RevocationCheck;
import dev.jot.jwt.VerifiedJwt;
import dev.jot.server.store.ClusterEvents;
import dev.jot.server.store.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The access-token denylist: single tokens by {@code jti} and whole sessions by {@code sid}, each until no token
 * it covers can still be accepted. Held in the {@code revocations} table and mirrored in memory, where the guard
 * consults it on every request (a map lookup). Other instances learn of a revocation through
 * {@link ClusterEvents} at once, and through the periodic resync if a notification was lost; a restarted
 * instance loads the table.
 */
public final class Revocations implements RevocationCheck {
    static final String TOPIC = "revoked";
    /** Rows are re-read this far back on each resync: revocations made by instances whose clocks lag a little. */
    private static final Duration RESYNC_OVERLAP = Duration.ofMinutes(2);

    public enum Kind { jti, sid }

    private final Jdbi jdbi;
    private final ClusterEvents events;
    private final Clock clock;
    /** Per kind: id → when the entry stops mattering. One map per kind keeps the per-request lookup allocation-free. */
    private final Map<Kind, Map<String, Instant>> denied = Map.of(Kind.jti, new ConcurrentHashMap<>(),
            Kind.sid, new ConcurrentHashMap<>());
    private volatile Instant syncedFrom = Instant.EPOCH;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private volatile Instant lastPurge = Instant.EPOCH;

    public Revocations(Jdbi jdbi, ClusterEvents events, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.clock = clock;
        events.subscribe(TOPIC, this::onEvent);
        events.onResync(this::resync);
        resync();
    }

    @Override
    public boolean isRevoked(VerifiedJwt jwt) {
        return denied(Kind.jti, jwt.claims().jwtId()) || denied(Kind.sid, jwt.claims().getString("sid"));
    }

    private boolean denied(Kind kind, Optional<String> value) {
        if (value.isEmpty()) {
            return false;
        }
        Instant until = denied.get(kind).get(value.get());
        return until != null && clock.instant().isBefore(until);
    }

    /**
     * Denies {@code kind}/{@code value} until {@code until}, inside the caller's transaction; the caller calls
     * {@link #applyLocally} after commit. Revoking twice keeps the later expiry.
     */
    void revoke(Handle tx, Kind kind, String value, Instant until) {
        // ON CONFLICT DO NOTHING (H2 accepts it in PostgreSQL mode): two revocations of one token at once are
        // not an error; then the later expiry wins.
        tx.createUpdate("INSERT INTO revocations (kind, id, revoked_at, expires_at) VALUES (:kind, :id, :now, :until) "
                        + "ON CONFLICT DO NOTHING")
                .bind("kind", kind.name()).bind("id", value).bind("now", Timestamps.utc(clock.instant())).bind("until", Timestamps.utc(until))
                .execute();
        tx.createUpdate("UPDATE revocations SET expires_at = :until WHERE kind = :kind AND id = :id AND expires_at < :until")
                .bind("kind", kind.name()).bind("id", value).bind("until", Timestamps.utc(until)).execute();
        events.publish(tx, TOPIC, kind + ":" + value + ":" + until.getEpochSecond());
    }

    /** Makes a committed revocation effective on this instance immediately. */
    void applyLocally(Kind kind, String value, Instant until) {
        denied.get(kind).merge(value, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    private void onEvent(String payload) {
        String[] p = payload.split(":", 3);
        if (p.length == 3) {
            try {
                applyLocally(Kind.valueOf(p[0]), p[1], Instant.ofEpochSecond(Long.parseLong(p[2])));
            } catch (IllegalArgumentException e) {
                // Not ours or malformed: ignored here; the resync reads the table, which is the truth.
            }
        }
    }

    /** Loads revocations made since the last sync (all live ones the first time) and forgets expired ones. */
    synchronized void resync() {
        Instant now = clock.instant();
        Instant from = syncedFrom.equals(Instant.EPOCH) ? Instant.EPOCH : syncedFrom.minus(RESYNC_OVERLAP);
        jdbi.useHandle(h -> h.createQuery("SELECT kind, id, expires_at FROM revocations "
                        + "WHERE revoked_at >= :from AND expires_at > :now")
                .bind("from", Timestamps.utc(from)).bind("now", Timestamps.utc(now))
                .map((rs, ctx) -> {
                    applyLocally(Kind.valueOf(rs.getString("kind")), rs.getString("id"),
                            Timestamps.read(rs, "expires_at"));
                    return 0;
                })
                .list());
        denied.values().forEach(m -> m.values().removeIf(until -> !now.isBefore(until)));
        syncedFrom = now;
        if (now.isAfter(lastPurge.plus(PURGE_EVERY))) {
            lastPurge = now;
            purgeExpired();
        }
    }

    /** Deletes rows no token can need any more (called now and then; any instance may do it). */
    private void purgeExpired() {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM revocations WHERE expires_at < :now")
                .bind("now", Timestamps.utc(clock.instant())).execute());
    }
}
