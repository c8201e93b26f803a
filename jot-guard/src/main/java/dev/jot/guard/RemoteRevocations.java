package dev.jot.guard;

import dev.jot.jwt.VerifiedJwt;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A {@link RevocationCheck} kept current by the issuer's revocation feed ({@code GET /revocations}, Server-Sent
 * Events), so that a logout is refused by every API within a second. Give it to {@link Guard.Builder#revocations}.
 *
 * <pre>{@code
 * RemoteRevocations feed = RemoteRevocations.subscribe(URI.create("https://auth.example.com/revocations"),
 *         machineTokens::current);   // a token whose scope holds jot:revocations, fetched afresh on each connect
 * }</pre>
 *
 * <p><b>The protocol.</b> On a fresh connection the server sends {@code reset}, one {@code deny} per live denial,
 * then {@code ready}: from then on the subscriber is {@linkplain #isInSync() in sync}. Each {@code deny}
 * ({@code {"kind":"jti"|"sid"|"sub","value":...,"until":<epoch seconds>}}) refuses tokens whose {@code jti},
 * {@code sid} or {@code sub} equals the value until that instant (a {@code sub} denial with {@code issued_before}
 * covers only tokens issued up to that second); denials end by themselves. After a drop the
 * subscriber reconnects with {@code Last-Event-ID} and receives only newer events, or a new
 * {@code reset}/snapshot/{@code ready} when the server cannot resume. Each {@code quota}
 * ({@code {"kind":"sub"|"client","value":...,"policy":"day","limit":100000,"until":<epoch seconds>}}) puts a
 * subject or client on the {@linkplain #quotas() quota board} until that instant (part of the snapshot too).
 * Unknown events are ignored (later servers add some), and so are malformed {@code deny} and {@code quota} data
 * (logged once each).
 *
 * <p><b>Connection.</b> A connection silent for 45 s (the server sends a comment every 15 s) is dead and
 * replaced. Reconnects back off exponentially with jitter, from 0.5 s to 30 s; a 401 or 403 is logged and
 * retried the same way, with a token freshly asked of the supplier. Each failure is logged once.
 *
 * <p><b>While disconnected</b>, by default the last denylist keeps serving: tokens it denies stay refused, and
 * tokens revoked meanwhile are let in until the feed is back (they expire anyway). {@link
 * Builder#failClosedAfter} instead refuses every token once the subscriber has been out of sync longer than a
 * bound: for APIs where a revoked token getting in is worse than an outage. {@link #isInSync()} and
 * {@link #lastEventAt()} are there for health checks.
 */
public final class RemoteRevocations implements RevocationCheck, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RemoteRevocations.class.getName());
    private static final int MAX_LINE = 64 * 1024;
    private static final long NEVER = Long.MIN_VALUE;

    private final URI feed;
    private final Supplier<String> bearerToken;
    private final Clock clock;
    private final long silenceMillis;
    private final long failClosedMillis;
    private final Backoff backoff;
    private final HttpClient client;
    private final Duration responseTimeout;
    private final Denylist denylist = new Denylist();
    private final QuotaBoard quotas = new QuotaBoard();
    private final AtomicBoolean malformedLogged = new AtomicBoolean();
    private final AtomicBoolean malformedQuotaLogged = new AtomicBoolean();
    private final Thread worker;

    private volatile boolean closed;
    private volatile boolean inSync;
    private volatile long outOfSyncSinceMillis;
    private volatile long lastEventMillis = NEVER;
    private volatile long aliveAtMillis;
    private volatile FeedConnection connection;
    // Under the lock of this object:
    private String lastEventId;
    /** A snapshot completed and no resync is half done: a reconnect may resume with Last-Event-ID. */
    private boolean resumable;

    private RemoteRevocations(Builder b) {
        this.feed = b.feed;
        this.bearerToken = b.bearerToken;
        this.clock = b.clock;
        this.silenceMillis = b.silence.toMillis();
        this.failClosedMillis = b.failClosedAfter == null ? -1 : b.failClosedAfter.toMillis();
        this.backoff = b.backoff;
        this.responseTimeout = b.silence;
        this.client = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.outOfSyncSinceMillis = clock.millis();
        this.worker = new Thread(this::run, "jot-guard-revocations");
        worker.setDaemon(true);
    }

    /** Subscribes to {@code feedUrl} with the default settings (see {@link Builder}). */
    public static RemoteRevocations subscribe(URI feedUrl, Supplier<String> bearerToken) {
        return builder(feedUrl, bearerToken).subscribe();
    }

    /**
     * Settings for a subscription to {@code feedUrl} ({@code https}, or {@code http} to a loopback address), sending
     * {@code Authorization: Bearer} with a token from {@code bearerToken}, asked again on every connection.
     */
    public static Builder builder(URI feedUrl, Supplier<String> bearerToken) {
        return new Builder(feedUrl, bearerToken);
    }

    @Override
    public boolean isRevoked(VerifiedJwt jwt) {
        long now = clock.millis();
        if (failClosedMillis >= 0 && !inSync && now - outOfSyncSinceMillis > failClosedMillis) {
            return true;
        }
        return denylist.isDenied(jwt, now);
    }

    /** Whether the denylist is complete and current: a snapshot arrived and the connection is up. */
    public boolean isInSync() {
        return inSync;
    }

    /** When the feed last sent anything, heartbeats included; empty before the first byte. */
    public Optional<Instant> lastEventAt() {
        long t = lastEventMillis;
        return t == NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t));
    }

    /** Denials in force. */
    public int denials() {
        return denylist.size();
    }

    /**
     * The subjects and clients whose quota the issuer announced used up ({@code event: quota}); a guard with
     * {@link Guard.Builder#rateLimits rate limits} built with this feed refuses them until then.
     */
    public QuotaBoard quotas() {
        return quotas;
    }

    /** Disconnects and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        FeedConnection c = connection;
        if (c != null) {
            c.drop("closed");
        }
        worker.interrupt();
        client.shutdownNow();
    }

    /**
     * Drops a connection that has been silent too long (by the clock) and forgets ended denials. The worker runs
     * this every second; tests call it after moving the clock.
     */
    void checkLiveness() {
        long now = clock.millis();
        FeedConnection c = connection;
        if (c != null && c.streaming && now - aliveAtMillis > silenceMillis) {
            c.drop("was silent for more than " + silenceMillis / 1000 + " s");
        }
        denylist.purge(Math.floorDiv(now, 1000));
        quotas.purge(Math.floorDiv(now, 1000));
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            FeedConnection c = connect();
            if (closed) {
                return;
            }
            failures = c.delivered ? 1 : failures + 1;
            Duration wait = backoff.jittered(failures);
            LOG.log(Level.WARNING, "Revocation feed " + feed + " " + c.why + "; reconnecting in " + wait.toMillis()
                    + " ms; " + (failClosedMillis < 0 ? "keeping the last " + denials() + " denial(s)"
                    : "every token is refused once out of sync for " + failClosedMillis / 1000 + " s"));
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return; // close() interrupts
            }
        }
    }

    /** One connection, from request to end of stream; returns it with why it ended. */
    private FeedConnection connect() {
        FeedConnection c;
        String resumeFrom;
        synchronized (this) {
            resumeFrom = resumable ? lastEventId : null;
            c = new FeedConnection(resumeFrom != null, this, events, MAX_LINE);
        }
        String token;
        try {
            token = bearerToken.get();
        } catch (RuntimeException e) {
            c.why = "could not be joined: the bearer token supplier failed (" + e.getClass().getSimpleName() + ")";
            return c;
        }
        if (token == null || !TokenExtractor.isB64Token(token, 0)) {
            c.why = "could not be joined: the bearer token supplier gave no usable token";
            return c;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(feed).timeout(responseTimeout)
                .header("Accept", "text/event-stream").header("Cache-Control", "no-cache")
                .header("Authorization", "Bearer " + token).GET();
        if (resumeFrom != null) {
            request.header("Last-Event-ID", resumeFrom);
        }
        connection = c;
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request.build(), c::subscriber);
        c.exchange = exchange;
        try {
            while (!closed) {
                try {
                    exchange.get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException stillStreaming) {
                    checkLiveness();
                }
            }
        } catch (ExecutionException e) {
            c.drop(HttpFetcher.describe(e.getCause()));
        } catch (CancellationException e) {
            c.drop("was cancelled before it answered");
        } catch (InterruptedException e) {
            c.drop("closed");
        } finally {
            c.drop("ended the stream");
            connection = null;
            disconnected();
        }
        return c;
    }

    /** The callbacks of a {@link FeedConnection}; events arrive with this object's lock held. */
    private final FeedConnection.Listener events = new FeedConnection.Listener() {
        @Override
        public void connected(boolean resumed) {
            RemoteRevocations.this.connected(resumed);
        }

        @Override
        public void received() {
            RemoteRevocations.this.received();
        }

        @Override
        public void onEvent(String type, String data, String id) {
            RemoteRevocations.this.onEvent(type, data, id);
        }
    };

    private synchronized void connected(boolean resumed) {
        aliveAtMillis = clock.millis();
        if (resumed && resumable) {
            setInSync(true); // the server sends what we missed straight away, or a reset if it cannot
        }
        LOG.log(Level.INFO, "Revocation feed " + feed + " connected" + (resumed ? ", resuming" : ""));
    }

    private synchronized void disconnected() {
        setInSync(false);
        if (!resumable) {
            denylist.abandonResync();
            quotas.abandonResync();
        }
    }

    /** Holds the lock. */
    private void setInSync(boolean now) {
        if (inSync && !now) {
            outOfSyncSinceMillis = clock.millis();
        }
        inSync = now;
    }

    private void received() {
        long now = clock.millis();
        aliveAtMillis = now;
        lastEventMillis = now;
    }

    /** Holds the lock. */
    private void onEvent(String type, String data, String id) {
        if (!id.isEmpty()) {
            lastEventId = id;
        }
        switch (type) {
            case "reset" -> {
                denylist.beginResync();
                quotas.beginResync();
                resumable = false;
                setInSync(false);
            }
            case "deny" -> deny(data);
            case "quota" -> quota(data);
            case "ready" -> {
                denylist.completeResync();
                quotas.completeResync();
                resumable = true;
                setInSync(true);
            }
            default -> {
                // Another event type (a later server's): not for this subscriber.
            }
        }
    }

    private void deny(String data) {
        try {
            denylist.deny(Denylist.Denial.parse(data), Math.floorDiv(clock.millis(), 1000));
        } catch (IllegalArgumentException e) {
            if (malformedLogged.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "Revocation feed " + feed + ": ignored a deny event whose data is not a denial ("
                        + e.getMessage() + "); further ones are ignored silently");
            }
        }
    }

    private void quota(String data) {
        try {
            QuotaBoard.Entry e = QuotaBoard.parse(data);
            if (e.exhausted().policy().equals(QuotaBoard.LIFTED)) {
                quotas.lift(e.bucket());
            } else {
                quotas.exhaust(e.bucket(), e.exhausted(), Math.floorDiv(clock.millis(), 1000));
            }
        } catch (IllegalArgumentException e) {
            if (malformedQuotaLogged.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "Revocation feed " + feed + ": ignored a quota event whose data is not a quota ("
                        + e.getMessage() + "); further ones are ignored silently");
            }
        }
    }

    /** Subscription settings; every one has a default. */
    public static final class Builder {
        private final URI feed;
        private final Supplier<String> bearerToken;
        private Clock clock = Clock.systemUTC();
        private Duration failClosedAfter;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration silence = Duration.ofSeconds(45);
        private Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

        private Builder(URI feed, Supplier<String> bearerToken) {
            this.feed = Endpoints.requireFetchable(Objects.requireNonNull(feed), "the revocation feed");
            this.bearerToken = Objects.requireNonNull(bearerToken);
        }

        /** Judges denials' ends, silence and time out of sync; the guard's clock. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** The default: while out of sync, the last denylist keeps serving (and the outage is logged). */
        public Builder keepLastListWhenDisconnected() {
            this.failClosedAfter = null;
            return this;
        }

        /** Fail closed: once out of sync for longer than {@code bound}, every token counts as revoked. */
        public Builder failClosedAfter(Duration bound) {
            if (bound.isNegative()) {
                throw new IllegalArgumentException("the bound must not be negative");
            }
            this.failClosedAfter = bound;
            return this;
        }

        /** How long connecting may take, 2 s by default. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the connect timeout must be positive");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * A connection that sends nothing (not even its 15-second heartbeat) for this long is dead, 45 s by
         * default; the server must also answer a connection within this time.
         */
        public Builder silenceTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the silence timeout must be positive");
            }
            this.silence = timeout;
            return this;
        }

        /** The reconnect backoff: from {@code first} (0.5 s), doubling, up to {@code max} (30 s), with jitter. */
        public Builder reconnectBackoff(Duration first, Duration max) {
            this.backoff = new Backoff(first, max);
            return this;
        }

        /** Starts the subscription on a daemon thread; the denylist fills as the snapshot arrives. */
        public RemoteRevocations subscribe() {
            RemoteRevocations r = new RemoteRevocations(this);
            r.worker.start();
            return r;
        }
    }
}
