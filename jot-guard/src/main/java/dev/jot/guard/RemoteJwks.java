package dev.jot.guard;

import dev.jot.guard.HttpFetcher.FetchFailure;
import dev.jot.guard.HttpFetcher.Response;
import dev.jot.jwt.Json;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.VerifiedJwt;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The signing keys of one issuer: found through its discovery document, fetched from its {@code jwks_uri}, kept
 * fresh, and turned into a {@link JwtVerifier} with the guard's {@link VerifierPolicy}.
 *
 * <ul>
 * <li><b>Freshness</b> (RFC 9111): a set lives for its {@code Cache-Control: max-age} (see {@link CacheLifetime});
 *     the background worker refreshes it when four fifths of that have passed, conditionally with its
 *     {@code ETag} (a 304 keeps the set). Request threads never fetch while a usable set is cached.</li>
 * <li><b>One fetch at a time.</b> Requests that need a fetch (no usable set yet, or an unknown {@code kid}) wait
 *     for the one in flight, at most as long as its timeouts allow, and never start a second.</li>
 * <li><b>Unknown {@code kid}</b>: at most one refetch per cooldown, whatever the number of tokens naming keys
 *     the set lacks: forged {@code kid}s cannot make the guard hammer the issuer.</li>
 * <li><b>Outages</b>: failed fetches are retried with exponential backoff and logged once each, so once per
 *     backoff step, not per request. The last good set keeps serving for {@code serveStaleFor} after it went
 *     stale; after that every token is refused until a fetch succeeds.</li>
 * <li><b>Issuer</b>: the discovery document must name exactly the configured issuer (RFC 8414 §3.3), and its
 *     {@code jwks_uri} must be {@code https} (or loopback, see {@link Endpoints}).</li>
 * </ul>
 *
 * Every judgement of time uses the {@link Clock}; the background worker only wakes up when something is due, and
 * {@link #maintain()} runs what is due at once, so tests move the clock and call it instead of sleeping.
 */
final class RemoteJwks implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RemoteJwks.class.getName());
    private static final String JWKS_TYPES = "application/jwk-set+json, application/json";
    /** The worker re-checks at least this often, so a clock that jumps (a suspended laptop) is noticed. */
    private static final long MAX_SLEEP_MILLIS = 60_000;

    /** One fetched set, and when to refresh it, when it goes stale and when it may no longer be used at all. */
    record KeySet(JwtVerifier verifier, List<Jwk> keys, String etag, Instant fetchedAt, Instant refreshAt,
                  Instant staleAt, Instant usableUntil) {

        static KeySet of(JwtVerifier verifier, List<Jwk> keys, String etag, Instant now, Duration life, Duration stale) {
            Instant staleAt = now.plus(life);
            return new KeySet(verifier, keys, etag, now, now.plus(life.multipliedBy(4).dividedBy(5)), staleAt,
                    staleAt.plus(stale));
        }

        /** The same keys confirmed unchanged (304) at {@code now}. */
        KeySet renewed(String newEtag, Instant now, Duration life, Duration stale) {
            return of(verifier, keys, newEtag == null ? etag : newEtag, now, life, stale);
        }

        boolean usableAt(Instant t) {
            return t.isBefore(usableUntil);
        }
    }

    private final String issuer;
    private final URI discovery;
    private final VerifierPolicy policy;
    private final FetchSettings settings;
    private final Clock clock;
    private final HttpFetcher http;
    private final ScheduledExecutorService worker;
    private final Runnable onKeysChanged;
    private final long waitMillis;
    /** Key set fetches attempted (discovery included), for {@link GuardStats}. */
    private final java.util.concurrent.atomic.LongAdder fetches = new java.util.concurrent.atomic.LongAdder();

    private final Object lock = new Object();
    private volatile KeySet current;
    private volatile boolean closed;
    /** The jwks_uri once discovered; read and written by fetches only, which run one at a time on the worker. */
    private URI jwksUri;
    // Guarded by lock:
    private CompletableFuture<KeySet> inFlight;
    private int failures;
    private Instant retryAt = Instant.MIN;
    private Instant unknownKeyFetchAt = Instant.MIN;
    private ScheduledFuture<?> nextTick;

    RemoteJwks(String issuer, VerifierPolicy policy, FetchSettings settings, Runnable onKeysChanged) {
        this.issuer = issuer;
        this.discovery = Endpoints.discovery(issuer);
        this.policy = policy;
        this.settings = settings;
        this.clock = policy.clock();
        this.onKeysChanged = onKeysChanged;
        this.http = new HttpFetcher(settings.connectTimeout(), settings.readTimeout(), settings.maxBytes());
        // A fetch is discovery plus the key set: two bounded exchanges, and a request waits no longer than those.
        this.waitMillis = 2 * settings.connectTimeout().plus(settings.readTimeout()).toMillis();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jot-guard-keys");
            t.setDaemon(true); // never keeps an application alive
            return t;
        });
        schedule(); // the first fetch starts now, in the background
    }

    /** Verifies with the current set; a token naming an unknown key may trigger one refetch (see class doc). */
    VerifiedJwt verify(String token) {
        KeySet keys = usableKeys();
        try {
            return keys.verifier().verify(token);
        } catch (JwtException e) {
            if (e.code() != JwtException.Code.KEY_NOT_FOUND) {
                throw e;
            }
            KeySet newer = refetchForUnknownKey(keys);
            if (newer == null) {
                throw e;
            }
            return newer.verifier().verify(token);
        }
    }

    /** Whether a set is usable at {@code nowMillis}: cached verifications are honoured only while one is. */
    boolean usable(long nowMillis) {
        KeySet s = current;
        return s != null && nowMillis < s.usableUntil().toEpochMilli();
    }

    KeySet current() {
        return current;
    }

    /** Fetches now, whatever is due, and waits for the outcome (at most the fetch's timeouts). */
    KeySet refresh() {
        CompletableFuture<KeySet> f;
        synchronized (lock) {
            f = inFlight != null ? inFlight : start();
        }
        return await(f);
    }

    /**
     * Runs what is due at the clock's now: the first fetch, a refresh ahead of staleness, or a retry whose backoff
     * has passed. Returns the fetch in flight (or the current set when nothing was due). The worker calls this when
     * it wakes up; tests call it after moving the clock.
     */
    CompletableFuture<KeySet> maintain() {
        synchronized (lock) {
            if (inFlight != null) {
                return inFlight;
            }
            if (due(clock.instant())) {
                return start();
            }
        }
        schedule();
        return CompletableFuture.completedFuture(current);
    }

    private KeySet usableKeys() {
        Instant now = clock.instant();
        KeySet s = current;
        if (s != null && s.usableAt(now)) {
            return s;
        }
        CompletableFuture<KeySet> f;
        synchronized (lock) {
            if (inFlight != null) {
                f = inFlight;
            } else if (!now.isBefore(retryAt)) {
                f = start();
            } else {
                throw unavailable();
            }
        }
        KeySet got = await(f);
        if (got == null || !got.usableAt(clock.instant())) {
            throw unavailable();
        }
        return got;
    }

    /** A newer set than {@code seen}, waiting for a fetch if one runs or the cooldown allows one; else null. */
    private KeySet refetchForUnknownKey(KeySet seen) {
        Instant now = clock.instant();
        CompletableFuture<KeySet> f;
        synchronized (lock) {
            if (current.verifier() != seen.verifier()) {
                return current; // fetched since this request looked
            }
            if (inFlight != null) {
                f = inFlight;
            } else if (now.isBefore(unknownKeyFetchAt.plus(settings.unknownKeyCooldown())) || now.isBefore(retryAt)) {
                return null;
            } else {
                unknownKeyFetchAt = now;
                f = start();
            }
        }
        KeySet got = await(f);
        return got == null || got.verifier() == seen.verifier() ? null : got;
    }

    private static JwtException unavailable() {
        return new JwtException(JwtException.Code.INVALID_KEY, "no usable signing keys from the issuer");
    }

    /** Holds the lock. */
    private boolean due(Instant now) {
        if (now.isBefore(retryAt)) {
            return false;
        }
        KeySet s = current;
        return s == null || !now.isBefore(s.refreshAt());
    }

    /** Holds the lock: the one place a fetch starts, so there is never more than one. */
    private CompletableFuture<KeySet> start() {
        CompletableFuture<KeySet> f = new CompletableFuture<>();
        inFlight = f;
        try {
            worker.execute(() -> runFetch(f));
        } catch (RejectedExecutionException closedAlready) {
            inFlight = null;
            f.complete(current);
        }
        return f;
    }

    private KeySet await(CompletableFuture<KeySet> f) {
        try {
            return f.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null; // the fetch goes on in the background; this request is refused meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a key fetch never completes exceptionally", e);
        }
    }

    private void runFetch(CompletableFuture<KeySet> done) {
        KeySet before = current;
        try {
            succeeded(before, fetch(before));
        } catch (FetchFailure e) {
            failed(before, e.getMessage());
        } catch (RuntimeException e) {
            failed(before, "unexpected " + e); // a surprise is still one failed attempt: backed off, logged once
        } finally {
            synchronized (lock) {
                inFlight = null;
            }
            done.complete(current);
            schedule();
        }
    }

    long fetches() {
        return fetches.sum();
    }

    private KeySet fetch(KeySet previous) throws FetchFailure {
        fetches.increment();
        URI uri = jwksUri != null ? jwksUri : discover();
        Response r = http.get(uri, JWKS_TYPES, previous == null ? null : previous.etag());
        Instant now = clock.instant();
        Duration life = settings.fresh().of(r.headers());
        String etag = r.headers().firstValue("ETag").orElse(null);
        if (r.status() == 304 && previous != null) {
            return previous.renewed(etag, now, life, settings.serveStaleFor());
        }
        if (r.status() != 200) {
            throw new FetchFailure("the key set answered HTTP " + r.status());
        }
        VerifierPolicy.Selection selection;
        try {
            selection = policy.select(Jwks.fromMap(Json.parseObject(r.body(), Json.DEFAULT_MAX_DEPTH)));
        } catch (JwtException e) {
            throw new FetchFailure("not a JWK set Jot accepts (" + e.getMessage() + ")");
        }
        boolean changed = previous == null || !sameKeys(previous.keys(), selection.keys());
        if (changed) {
            selection.skipped().forEach(why -> LOG.log(Level.WARNING, "Signing keys of " + issuer + ": " + why));
        }
        if (selection.keys().isEmpty()) {
            throw new FetchFailure("the key set has no key this guard can use");
        }
        JwtVerifier verifier;
        try {
            verifier = changed ? policy.verifier(selection.keys()) : previous.verifier();
        } catch (JwtException | IllegalStateException e) {
            throw new FetchFailure("the key set was refused (" + e.getMessage() + ")");
        }
        return KeySet.of(verifier, selection.keys(), etag, now, life, settings.serveStaleFor());
    }

    private URI discover() throws FetchFailure {
        Response r = http.get(discovery, "application/json", null);
        if (r.status() != 200) {
            throw new FetchFailure("the discovery document answered HTTP " + r.status());
        }
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(r.body(), Json.DEFAULT_MAX_DEPTH);
        } catch (JwtException e) {
            throw new FetchFailure("the discovery document is not a JSON object");
        }
        // RFC 8414 §3.3: the issuer in the document must be identical to the one the metadata was fetched for.
        if (!issuer.equals(doc.get("issuer"))) {
            throw new FetchFailure("the discovery document names another issuer (RFC 8414 §3.3)");
        }
        if (!(doc.get("jwks_uri") instanceof String s)) {
            throw new FetchFailure("the discovery document has no jwks_uri");
        }
        try {
            jwksUri = Endpoints.requireFetchable(new URI(s), "jwks_uri");
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchFailure("the discovery document's jwks_uri is refused: " + e.getMessage());
        }
        return jwksUri;
    }

    private static boolean sameKeys(List<Jwk> a, List<Jwk> b) {
        return a.stream().map(Jwk::toMap).toList().equals(b.stream().map(Jwk::toMap).toList());
    }

    private void succeeded(KeySet before, KeySet after) {
        int failedBefore;
        synchronized (lock) {
            failedBefore = failures;
            failures = 0;
            retryAt = Instant.MIN;
            current = after;
        }
        if (before == null || before.verifier() != after.verifier()) {
            LOG.log(Level.INFO, "Signing keys of " + issuer + ": " + after.keys().size() + " key(s), kid "
                    + after.keys().stream().map(k -> String.valueOf(k.kid())).toList());
            onKeysChanged.run(); // tokens verified with a key that is gone must not stay cached
        }
        if (failedBefore > 0) {
            LOG.log(Level.INFO, "Signing keys of " + issuer + " fetched again after " + failedBefore + " failed attempt(s)");
        }
    }

    private void failed(KeySet before, String why) {
        Instant now = clock.instant();
        int attempt;
        Duration wait;
        synchronized (lock) {
            attempt = ++failures;
            wait = settings.retry().step(attempt);
            retryAt = now.plus(wait);
        }
        String serving = before == null ? "no key set yet, so every token is refused"
                : before.usableAt(now) ? "serving the set fetched at " + before.fetchedAt() + " until " + before.usableUntil()
                : "the last set could be used until " + before.usableUntil() + ", so every token is refused";
        LOG.log(Level.WARNING, "Could not fetch the signing keys of " + issuer + ": " + why + ". Attempt " + attempt
                + ", next in " + wait.toSeconds() + " s; " + serving);
    }

    /** Wakes the worker when the next thing is due (or after {@link #MAX_SLEEP_MILLIS}). */
    private void schedule() {
        if (!settings.background() || closed) {
            return;
        }
        synchronized (lock) {
            Instant now = clock.instant();
            KeySet s = current;
            Instant dueAt = s == null || s.refreshAt().isBefore(retryAt) ? retryAt : s.refreshAt();
            long delay = dueAt.isAfter(now) ? Math.min(Duration.between(now, dueAt).toMillis(), MAX_SLEEP_MILLIS) : 0;
            if (nextTick != null) {
                nextTick.cancel(false);
            }
            try {
                nextTick = worker.schedule(this::maintain, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closedAlready) {
                nextTick = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        http.close();
        synchronized (lock) {
            if (inFlight != null) {
                inFlight.complete(current); // a fetch that was queued and will never run: release its waiters
                inFlight = null;
            }
        }
    }
}
