package dev.jot.server.session;

import dev.jot.guard.RevocationCheck;
import dev.jot.jwt.VerifiedJwt;
import dev.jot.server.session.RevocationRepository.Denial;
import dev.jot.server.store.ClusterEvents;
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
 *
 * <p>A notification is only a hint naming the denial: the receiver reads the row from the table before applying
 * it, and no denial lasts longer in memory than the longest a token can be accepted ({@code maxDenial} from now).
 * Anyone able to {@code NOTIFY} on the database therefore cannot plant a denial, nor one that never ends.
 */
public final class Revocations implements RevocationCheck {
    static final String TOPIC = "revoked";
    /** Rows are re-read this far back on each resync: revocations made by instances whose clocks lag a little. */
    private static final Duration RESYNC_OVERLAP = Duration.ofMinutes(2);

    public enum Kind { jti, sid }

    private final RevocationRepository repo;
    private final ClusterEvents events;
    private final Clock clock;
    private final Duration maxDenial;
    /** Per kind: id → when the entry stops mattering. One map per kind keeps the per-request lookup allocation-free. */
    private final Map<Kind, Map<String, Instant>> denied = Map.of(Kind.jti, new ConcurrentHashMap<>(),
            Kind.sid, new ConcurrentHashMap<>());
    private volatile Instant syncedFrom = Instant.EPOCH;

    /**
     * @param maxDenial the longest any token can still be accepted (access-token lifetime plus the verifier's
     *                  skew): no denial needs to outlive it
     */
    public Revocations(Jdbi jdbi, ClusterEvents events, Clock clock, Duration maxDenial) {
        this.repo = new RevocationRepository(jdbi);
        this.events = events;
        this.clock = clock;
        this.maxDenial = maxDenial;
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
        repo.deny(tx, kind, value, clock.instant(), until);
        events.publish(tx, TOPIC, kind + ":" + value);
    }

    /** Makes a committed revocation effective on this instance immediately. */
    void applyLocally(Kind kind, String value, Instant until) {
        Instant capped = earliest(until, clock.instant().plus(maxDenial));
        denied.get(kind).merge(value, capped, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Another instance committed a denial: the table says what it is (a malformed or unknown hint is ignored). */
    private void onEvent(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        Kind kind;
        try {
            kind = Kind.valueOf(payload.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return; // not ours; the resync reads the table, which is the truth
        }
        repo.find(kind, payload.substring(colon + 1), clock.instant()).ifPresent(this::apply);
    }

    /** Loads revocations made since the last sync (all live ones the first time) and forgets expired ones. */
    synchronized void resync() {
        Instant now = clock.instant();
        Instant from = syncedFrom.equals(Instant.EPOCH) ? Instant.EPOCH : syncedFrom.minus(RESYNC_OVERLAP);
        repo.liveSince(from, now).forEach(this::apply);
        denied.values().forEach(m -> m.values().removeIf(until -> !now.isBefore(until)));
        syncedFrom = now;
    }

    /** Deletes rows no token can need any more (a periodic job; any instance may do it). */
    public void purgeExpired() {
        repo.deleteExpired(clock.instant());
    }

    private void apply(Denial d) {
        applyLocally(d.kind(), d.id(), d.until());
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
