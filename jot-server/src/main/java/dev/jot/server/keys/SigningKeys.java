package dev.jot.server.keys;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.Jwks;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.store.ClusterEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signing keys through their lifecycle: <b>next</b> (published, not signing yet) → <b>active</b>
 * (signing) → <b>retired</b> (published until the last token it signed has expired, then dropped from the JWKS).
 *
 * <p>Private halves are stored encrypted under the master key. The current state is one immutable {@link KeyRing},
 * swapped whole: on this instance's own changes, on a {@code keys} event from another instance or {@code jot
 * admin} ({@link ClusterEvents}), and on every resync. {@link #maintain()}, run every {@link #TICK} by the
 * server's jobs, publishes a next key when there is none and rotates when {@link ServerConfig#keyRotation()} has
 * passed by the injected clock.
 *
 * <p>Why a key is published before it signs: verifiers cache the JWKS (for {@link #JWKS_MAX_AGE}, the
 * {@code Cache-Control} of the endpoint) and select keys by {@code kid} (RFC 7515 §4.1.4, RFC 7517 §4.5). Automatic
 * rotation promotes a next key only once it has been published for {@link #MIN_PUBLISHED}, so a fresh token's
 * {@code kid} is in every cached copy of the JWKS, however old that copy is allowed to be.
 *
 * <p>HS256 signs with the configured secret, which is neither stored, published, nor rotated.
 */
public final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    /** How long a verifier may keep {@code /.well-known/jwks.json} before refetching ({@code Cache-Control: max-age}). */
    public static final Duration JWKS_MAX_AGE = Duration.ofSeconds(300);
    /**
     * How long a next key must have been published before automatic rotation lets it sign: the JWKS max-age,
     * plus one resync period for every instance to have learned of the key (a lost notification is repaired by the
     * resync, see {@link ClusterEvents}).
     */
    public static final Duration MIN_PUBLISHED = JWKS_MAX_AGE.plus(ClusterEvents.RESYNC_EVERY);
    /**
     * How long a retired key stays published after the last token it can have signed expires: verifiers accept a
     * token for their clock skew after {@code exp} (jot's default), and another instance may sign with the key for
     * up to a resync period before it learns of the rotation.
     */
    public static final Duration RETIRED_LINGER = JwtVerifier.DEFAULT_CLOCK_SKEW.plus(ClusterEvents.RESYNC_EVERY);
    /** How often maintenance looks at the ring (in memory; it touches the database only when due). */
    public static final Duration TICK = Duration.ofSeconds(1);

    private final AtomicReference<KeyRing> ring = new AtomicReference<>();
    private final ServerConfig config;
    private final Clock clock;
    /** Null for HS256: nothing is stored. */
    private final SigningKeyRepository repo;
    private final KeyCipher cipher;
    private final KeyMac mac;
    /** Kids of rows whose MAC failed, logged once each. */
    private final java.util.Set<String> forged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final KeyMaker maker;
    private final AuditLog audit;
    /** A retired key's tokens live at most this long after it retires (this instance's lifetime, plus linger). */
    private final Duration keepRetired;

    private SigningKeys(ServerConfig config, Clock clock, SigningKeyRepository repo, KeyCipher cipher, KeyMac mac,
                        KeyMaker maker, AuditLog audit) {
        this.mac = mac;
        this.config = config;
        this.clock = clock;
        this.repo = repo;
        this.cipher = cipher;
        this.maker = maker;
        this.audit = audit;
        this.keepRetired = config.accessTokenTtl().plus(RETIRED_LINGER);
    }

    /**
     * Loads the ring, generating the first key of an empty database (taking it from {@code maker}, which may have
     * started it ahead), and follows {@code keys} events from then on. A changed signing algorithm rotates at once
     * to a key of the new algorithm. The next key is made later, by {@link #start()}, off the start-up path.
     */
    public static SigningKeys open(Jdbi jdbi, ClusterEvents events, AuditLog audit, ServerConfig config, Clock clock,
                                   KeyMaker maker, javax.crypto.SecretKey masterKey) {
        if (config.signingAlg() == Algorithm.HS256) {
            SigningKeys keys = new SigningKeys(config, clock, null, null, null, maker, audit);
            keys.ring.set(KeyRing.ofSecret(config.hmacSecret(), new HmacKidRepository(jdbi).kid()));
            return keys;
        }
        KeyCipher cipher = new KeyCipher(masterKey);
        KeyMac mac = new KeyMac(masterKey);
        SigningKeyRepository repo = new SigningKeyRepository(jdbi, events, mac);
        int sealed = repo.addMissingMacs();
        if (sealed > 0) {
            LOG.info("Authenticated {} signing-key rows written before rows carried a MAC", sealed);
        }
        SigningKeys keys = new SigningKeys(config, clock, repo, cipher, mac, maker, audit);
        keys.loadOrCreate();
        events.subscribe(SigningKeyRepository.TOPIC, kid -> keys.reload());
        events.onResync(keys::reload);
        return keys;
    }

    private synchronized void loadOrCreate() {
        Instant now = now();
        if (repo.load(now, now).stream().noneMatch(StoredKey::isActive)) {
            Jwk fresh = maker.newKey();
            if (repo.insert(StoredKey.firstActive(fresh.kid(), alg(), seal(fresh), publicJson(fresh), now))) {
                LOG.info("Generated a new {} signing key, kid {}", alg(), fresh.kid());
            } // else another instance created the first key at the same moment: the reload below reads theirs
        }
        KeyRing r = reload();
        if (!hasConfiguredAlg(r.active().orElseThrow())) {
            LOG.warn("The signing algorithm changed to {}: a new key signs at once (verifiers holding the JWKS refetch "
                    + "it when they meet its kid); the previous key stays published until its tokens expire", alg());
            rotateOnce("signing algorithm changed", null);
        }
    }

    // ---- reading: every call sees the current ring ----

    /** The current ring; a retired key whose time is up leaves it at that instant, without waiting for a reload. */
    public KeyRing ring() {
        Instant now = clock.instant();
        while (true) {
            KeyRing r = ring.get();
            if (now.isBefore(r.changesAt())) {
                return r;
            }
            ring.compareAndSet(r, r.at(now));
        }
    }

    /**
     * Signs with the active key and the configured {@code typ} ({@code --access-token-type}): call it per token, so
     * that a rotation takes effect at once.
     */
    public JwtSigner signer() {
        return ring().signer(config.get(Settings.ACCESS_TOKEN_TYPE));
    }

    /** The configured signing algorithm (what new tokens use). */
    public Algorithm algorithm() {
        return config.signingAlg();
    }

    /** The keys that verify this server's tokens (public keys; the secret for HS256). */
    public Jwks verificationKeys() {
        return ring().verificationKeys();
    }

    /** {@code {"keys":[...]}} with public keys only: the body of {@code /.well-known/jwks.json}. */
    public String publicJwksJson() {
        return ring().publicJwksJson();
    }

    public Optional<String> keyId() {
        return Optional.ofNullable(ring().activeKid());
    }

    /**
     * A value made from the ring and made again only when the ring changes: the server's guard, whose cache of
     * verified tokens thereby survives every reload that changed nothing.
     */
    public <T> Supplier<T> derived(Function<KeyRing, T> make) {
        AtomicReference<Derived<T>> last = new AtomicReference<>();
        return () -> {
            KeyRing r = ring();
            Derived<T> d = last.get();
            if (d == null || d.ring() != r) {
                d = new Derived<>(r, make.apply(r));
                last.set(d);
            }
            return d.value();
        };
    }

    private record Derived<T>(KeyRing ring, T value) {
    }

    // ---- changing ----

    /** Reads the ring from the database; keeps the current snapshot (same instance) when nothing changed. */
    public synchronized KeyRing reload() {
        if (repo == null) {
            return ring.get();
        }
        Instant now = now();
        List<StoredKey> all = repo.load(now, now.minus(keepRetired));
        List<StoredKey> rows = all.stream().filter(this::authentic).toList();
        if (rows.stream().noneMatch(StoredKey::isActive) && all.stream().anyMatch(StoredKey::isActive)) {
            throw new IllegalStateException("the active signing key fails its integrity check: the master key "
                    + "(JOT_MASTER_KEY or master.key) is not the one it was stored with, or its row was changed");
        }
        KeyRing current = ring.get();
        KeyRing fresh = current != null && rows.equals(current.rows()) ? current.at(now)
                : KeyRing.of(rows, now, keepRetired, this::unlock, current);
        ring.set(fresh);
        return fresh;
    }

    /**
     * Rotates now ({@code jot admin rotate-keys}): the next key signs even if it was published only a moment ago
     * ({@link Rotation#early()} says so), or a key made on the spot when there is no next key.
     *
     * @throws ServerException {@link ServerError#NO_ROTATION} for HS256, {@link ServerError#ROTATION_CONFLICT} when
     *                          another rotation won a race with this one
     */
    public Rotation rotateNow() {
        return rotateNow(null);
    }

    /** {@link #rotateNow()} by the admin {@code actorId} ({@code POST /admin/keys/rotate}), audited as theirs. */
    public synchronized Rotation rotateNow(String actorId) {
        if (repo == null) {
            throw new ServerException(ServerError.NO_ROTATION, "HS256 signs with the configured secret "
                    + "(JOT_HMAC_SECRET), which Jot neither stores nor rotates; replacing the secret invalidates every "
                    + "token signed with it. Use RS256, ES256 or EdDSA for rotatable keys.");
        }
        return rotateOnce("manual", actorId).orElseThrow(() -> new ServerException(ServerError.ROTATION_CONFLICT,
                "another rotation happened at the same moment; the active key is now " + ring().activeKid()
                        + " (run the command again to rotate once more)"));
    }

    private Optional<Rotation> rotateOnce(String why, String actorId) {
        KeyRing r = reload();
        StoredKey next = r.next().filter(this::hasConfiguredAlg).orElseGet(() -> publishNext(r));
        return rotate(ring(), next, why, actorId);
    }

    /**
     * One maintenance step: publish a next key if there is none; rotate when due and the next key is ready. The
     * first run after a start publishes the next key, off the start-up path.
     */
    public synchronized void maintain() {
        if (repo == null) {
            return;
        }
        KeyRing r = ring();
        Optional<StoredKey> next = r.next().filter(this::hasConfiguredAlg);
        if (next.isEmpty()) {
            publishNext(r);
            return;
        }
        Instant now = now();
        StoredKey active = r.active().orElseThrow();
        boolean due = !now.isBefore(active.activatedAt().plus(config.keyRotation()));
        if (due && !now.isBefore(next.get().createdAt().plus(MIN_PUBLISHED))) {
            rotate(r, next.get(), "scheduled", null);
        }
    }

    private StoredKey publishNext(KeyRing r) {
        r.next().filter(n -> !hasConfiguredAlg(n)).ifPresent(n -> repo.discardNext(n.kid(), now()));
        Jwk fresh = maker.newKey();
        if (repo.insert(StoredKey.next(fresh.kid(), alg(), seal(fresh), publicJson(fresh), now()))) {
            LOG.info("Published the next {} signing key, kid {}: it signs from the next rotation", alg(), fresh.kid());
        } // else another instance published one at the same moment: the reload reads theirs
        return reload().next().orElseThrow(() -> new IllegalStateException("no next signing key after publishing one"));
    }

    /**
     * Retires the active key, promotes {@code next} and publishes a new next key, in one conditional transaction.
     * Empty when the database no longer holds the ring {@code r} describes: another instance rotated first.
     */
    private Optional<Rotation> rotate(KeyRing r, StoredKey next, String why, String actorId) {
        StoredKey active = r.active().orElseThrow();
        Jwk fresh = maker.newKey(); // before the transaction: no lock is held while it is generated
        Instant now = now();
        StoredKey newNext = StoredKey.next(fresh.kid(), alg(), seal(fresh), publicJson(fresh), now);
        Instant until = now.plus(keepRetired);
        if (!repo.rotate(active.kid(), next.kid(), newNext, now, until)) {
            LOG.info("Another instance rotated the signing keys first; reloading");
            reload();
            return Optional.empty();
        }
        Rotation done = new Rotation(active.kid(), next.kid(), newNext.kid(), Duration.between(next.createdAt(), now));
        audit.record(AuditEvent.KEY_ROTATED, null, actorId, null, next.kid());
        LOG.info("Rotated the signing keys ({}): {} signs now; {} retired, published until {}; {} is next", why,
                next.kid(), active.kid(), until, newNext.kid());
        reload();
        return Optional.of(done);
    }

    /**
     * Whether a row is one this server (or another holding the master key) wrote: a row that fails its MAC is left
     * out of the ring, so it neither signs nor is published, and is logged once.
     */
    private boolean authentic(StoredKey k) {
        if (mac.verifies(k)) {
            return true;
        }
        if (forged.add(k.kid())) {
            LOG.error("Signing key {} in the database fails its integrity check (row MAC): it is not published or "
                    + "used. Someone with write access to the database changed or added it, or it was written "
                    + "under another master key.", k.kid());
        }
        return false;
    }

    private Jwk unlock(StoredKey k) {
        return Jwk.parse(cipher.decrypt(k.privateJwkEncrypted(), k.kid()));
    }

    private String seal(Jwk key) {
        return cipher.encrypt(key.toJson(), key.kid());
    }

    private static String publicJson(Jwk key) {
        return key.toPublicJwk().toJson();
    }

    private boolean hasConfiguredAlg(StoredKey k) {
        return k.alg().equals(alg());
    }

    private String alg() {
        return config.signingAlg().jwsName();
    }

    /** Microseconds: what PostgreSQL keeps, so a row reads back equal to what was written, on both databases. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
