package dev.jot.server.session;

import dev.jot.guard.RevocationCheck;
import dev.jot.jwt.VerifiedJwt;
import dev.jot.server.session.RevocationRepository.Denial;
import dev.jot.server.store.ClusterEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The access-token denylist: single tokens by {@code jti}, whole sessions by {@code sid}, every token of a user
 * issued before a moment by {@code sub} (a disabled or deleted account), and every token of a machine credential
 * issued before a moment by {@code client} (the {@code client_id} claim: a revoked API key, a deleted client),
 * each until no token it covers can still be accepted. Held in the {@code revocations} table and mirrored in
 * memory, where the guard consults it on every request (a map lookup). Other instances learn of a revocation
 * through {@link ClusterEvents} at once, and through the periodic resync if a notification was lost; a restarted
 * instance loads the table. Every denial this instance learns of is also announced on the {@link RevocationFeed}
 * for resource servers.
 *
 * <p>A notification is only a hint naming the denial: the receiver reads the row from the table before applying
 * it, and no denial lasts longer in memory than the longest a token can be accepted ({@code maxDenial} from now).
 * Anyone able to {@code NOTIFY} on the database therefore cannot plant a denial, nor one that never ends.
 */
public final class Revocations implements RevocationCheck {
    static final String TOPIC = "revoked";
    /** Rows are re-read this far back on each resync: revocations made by instances whose clocks lag a little. */
    static final Duration RESYNC_OVERLAP = Duration.ofMinutes(2);

    /**
     * {@code quota} is not a denial: a used-up day or month quota ({@link #publishQuota}), which rides the same
     * table, cluster propagation and feed (as {@code event: quota}) and is never applied to tokens here.
     */
    public enum Kind { jti, sid, sub, client, quota }

    /** The longest a quota exhaustion can last: the rest of a UTC month. */
    static final Duration MAX_QUOTA = Duration.ofDays(32);

    /** Until when a denial holds; for {@code sub}, which tokens it covers: those issued up to {@code revokedAt}. */
    private record Entry(Instant revokedAt, Instant until) {
    }

    private final RevocationRepository repo;
    private final ClusterEvents events;
    private final RevocationFeed feed;
    private final Clock clock;
    private final Duration maxDenial;
    /** Per kind: id → the denial. One map per kind keeps the per-request lookup allocation-free. */
    private final Map<Kind, Map<String, Entry>> denied = Map.of(Kind.jti, new ConcurrentHashMap<>(),
            Kind.sid, new ConcurrentHashMap<>(), Kind.sub, new ConcurrentHashMap<>(), Kind.client,
            new ConcurrentHashMap<>());
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
        this.feed = new RevocationFeed(repo, clock, maxDenial);
        events.subscribe(TOPIC, this::onEvent);
        events.onResync(this::resync);
        resync();
    }

    /** The feed resource servers subscribe to ({@code GET /revocations}). */
    public RevocationFeed feed() {
        return feed;
    }

    @Override
    public boolean isRevoked(VerifiedJwt jwt) {
        return denied(Kind.jti, jwt.claims().jwtId()) || denied(Kind.sid, jwt.claims().getString("sid"))
                || deniedUpTo(Kind.sub, jwt) || deniedUpTo(Kind.client, jwt);
    }

    private boolean denied(Kind kind, Optional<String> value) {
        if (value.isEmpty()) {
            return false;
        }
        Entry e = denied.get(kind).get(value.get());
        return e != null && clock.instant().isBefore(e.until());
    }

    /**
     * A token of a denied user or client issued up to the denial (iat is in seconds: the same second counts as
     * before). The claim is read only when some denial of the kind exists: most requests skip it.
     */
    private boolean deniedUpTo(Kind kind, VerifiedJwt jwt) {
        Map<String, Entry> entries = denied.get(kind);
        if (entries.isEmpty()) {
            return false;
        }
        Optional<String> v = kind == Kind.sub ? jwt.claims().subject() : jwt.claims().getString("client_id");
        Entry e = v.isEmpty() ? null : entries.get(v.get());
        if (e == null || !clock.instant().isBefore(e.until())) {
            return false;
        }
        Optional<Instant> iat = jwt.claims().issuedAt();
        return iat.isEmpty() || iat.get().getEpochSecond() <= e.revokedAt().getEpochSecond();
    }

    /**
     * Denies every token whose {@code kind} claim ({@code sub} or {@code client}) is {@code value} and that was
     * issued up to now, for as long as any of them can be accepted, inside the caller's transaction; the caller
     * calls {@link #applyIssuedUpToNow} after commit.
     */
    public void denyIssuedUpToNow(Handle tx, Kind kind, String value) {
        if (kind != Kind.sub && kind != Kind.client) {
            throw new IllegalArgumentException("only sub and client denials cover tokens issued up to a moment");
        }
        revoke(tx, kind, value, clock.instant().plus(maxDenial));
    }

    /** Makes a committed {@link #denyIssuedUpToNow} effective on this instance at once, and announces it. */
    public void applyIssuedUpToNow(Kind kind, String value) {
        applyLocally(kind, value, clock.instant().plus(maxDenial));
    }

    /**
     * Denies {@code kind}/{@code value} until {@code until}, inside the caller's transaction; the caller calls
     * {@link #applyLocally} after commit. Revoking twice keeps the later expiry.
     */
    void revoke(Handle tx, Kind kind, String value, Instant until) {
        repo.deny(tx, kind, value, clock.instant(), until);
        events.publish(tx, TOPIC, kind + ":" + value);
    }

    /**
     * Makes a committed revocation effective on this instance immediately, then announces it on the feed (with its
     * stored sequence number).
     */
    void applyLocally(Kind kind, String value, Instant until) {
        remember(kind, value, clock.instant(), until);
        repo.find(kind, value, clock.instant()).ifPresent(this::learn);
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
        repo.find(kind, payload.substring(colon + 1), clock.instant()).ifPresent(this::learn);
    }

    /** Loads revocations made since the last sync (all live ones the first time) and forgets expired ones. */
    synchronized void resync() {
        Instant now = clock.instant();
        Instant from = syncedFrom.equals(Instant.EPOCH) ? Instant.EPOCH : syncedFrom.minus(RESYNC_OVERLAP);
        List<Denial> rows = repo.liveSince(from, now);
        rows.forEach(this::learn);
        denied.values().forEach(m -> m.values().removeIf(e -> !now.isBefore(e.until())));
        feed.forgetExpired(now);
        syncedFrom = now;
    }

    /** Deletes rows no token can need any more (a periodic job; any instance may do it). */
    public void purgeExpired() {
        repo.deleteExpired(clock.instant());
    }

    /**
     * Announces that {@code bucketKind} ({@code sub} or {@code client}) {@code value} has used up its
     * {@code policy} ({@code day} or {@code month}) quota of {@code limit} requests until {@code until}: stored as a
     * {@code quota} row (so other instances, resumed subscribers and the resync see it), sent on the feed as
     * {@code event: quota}. Announcing again what is already stored with the same or a later end changes nothing.
     *
     * @return whether a new exhaustion was stored
     */
    /** The policy name of an announcement that takes a bucket's used-up quotas back ({@link #liftQuota}). */
    public static final String LIFTED = "lifted";
    /** How long a lift stays in the feed's snapshots: long enough for a guard that was reconnecting to hear it. */
    static final Duration LIFT_ANNOUNCED = Duration.ofMinutes(10);

    /**
     * Takes back the used-up quotas announced for a bucket (an admin changed or removed its quota): they leave the
     * table, so no snapshot holds them, and {@code event: quota} with policy {@value #LIFTED} tells every guard to
     * drop them. If the bucket is still over its new quota, the next batch announces it again.
     */
    public void liftQuota(String bucketKind, String value) {
        Instant now = clock.instant();
        List<Denial> announced = repo.live(Kind.quota, now).stream()
                .filter(d -> QuotaExhaustion.parse(d.id())
                        .filter(q -> q.kind().equals(bucketKind) && q.value().equals(value)).isPresent())
                .toList();
        if (announced.isEmpty()) {
            return;
        }
        String id = LIFTED + ":0:" + bucketKind + ":" + value;
        repo.inTransaction(tx -> {
            announced.forEach(d -> repo.delete(tx, Kind.quota, d.id())); // an earlier lift too: this one is new
            repo.deny(tx, Kind.quota, id, now, now.plus(LIFT_ANNOUNCED));
            events.publish(tx, TOPIC, Kind.quota + ":" + id);
        });
        repo.find(Kind.quota, id, clock.instant()).ifPresent(this::learn);
    }

    public boolean publishQuota(String bucketKind, String value, String policy, long limit, Instant until) {
        String id = policy + ":" + limit + ":" + bucketKind + ":" + value;
        Instant now = clock.instant();
        Optional<Denial> known = repo.find(Kind.quota, id, now);
        if (known.isPresent() && !known.get().until().isBefore(until)) {
            return false;
        }
        repo.inTransaction(tx -> {
            repo.deny(tx, Kind.quota, id, now, until);
            events.publish(tx, TOPIC, Kind.quota + ":" + id);
        });
        repo.find(Kind.quota, id, clock.instant()).ifPresent(this::learn);
        return true;
    }

    /** What a {@code quota} row's id says: {@code policy:limit:kind:value}; empty when malformed. */
    public record QuotaExhaustion(String policy, long limit, String kind, String value) {
        static Optional<QuotaExhaustion> parse(String id) {
            String[] p = id.split(":", 4);
            if (p.length != 4 || !p[1].matches("[0-9]{1,18}")) {
                return Optional.empty();
            }
            return Optional.of(new QuotaExhaustion(p[0], Long.parseLong(p[1]), p[2], p[3]));
        }
    }

    private void learn(Denial d) {
        if (d.kind() == Kind.quota) {
            // Not a denial of tokens: only announced, with a cap of its own (a month, not a token's life).
            feed.publish(new Denial(d.seq(), d.kind(), d.id(), d.revokedAt(),
                    earliest(d.until(), clock.instant().plus(MAX_QUOTA))));
            return;
        }
        Instant until = earliest(d.until(), clock.instant().plus(maxDenial));
        remember(d.kind(), d.id(), d.revokedAt(), until);
        feed.publish(new Denial(d.seq(), d.kind(), d.id(), d.revokedAt(), until));
    }

    private void remember(Kind kind, String value, Instant revokedAt, Instant until) {
        if (kind == Kind.quota) {
            return;
        }
        Instant capped = earliest(until, clock.instant().plus(maxDenial));
        denied.get(kind).merge(value, new Entry(revokedAt, capped),
                (a, b) -> new Entry(later(a.revokedAt(), b.revokedAt()), later(a.until(), b.until())));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
