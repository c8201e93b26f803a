package dev.jot.guard;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.TokenExtractor.Absent;
import dev.jot.guard.TokenExtractor.Found;
import dev.jot.guard.TokenExtractor.Malformed;
import dev.jot.guard.usage.UsageMeter;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.VerifiedJwt;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Protects a resource: finds the bearer token in a request, verifies it with {@code jot-jwt}, asks the
 * {@link RevocationCheck}, and answers either {@link Authenticated} or a ready-made refusal (status, Jot error
 * code, {@code WWW-Authenticate} per RFC 6750 §3). Built once and shared; thread-safe.
 *
 * <p>An API of an OpenID Connect issuer (such as a Jot server) needs only the issuer's URL and its own name:
 *
 * <pre>{@code
 * Guard guard = Guard.forIssuer("https://auth.example.com")   // discovery, then jwks_uri, kept fresh
 *         .audience("orders-api")                              // the token's aud must name this API
 *         .revocations(RemoteRevocations.subscribe(feed, machineToken))
 *         .build();
 * switch (guard.authenticate(request).requireScope("orders:read")) {
 *     case Authenticated a -> ...                       // a.jwt().claims()
 *     case Rejected r -> respond(r.status(), r.code(), r.description(), r.wwwAuthenticate());
 * }
 * }</pre>
 *
 * Such a guard requires {@code typ: at+jwt} (RFC 9068 §4), the issuer's {@code iss}, an {@code exp}, and takes
 * each key's algorithm from the key set, never from the token; {@link Builder} says how keys are fetched and
 * cached. It owns a background thread, so close it when the application stops. {@link #builder(JwtVerifier)}
 * instead protects with a verifier you configured yourself (fixed keys, your own policy).
 *
 * <p>Verified tokens are cached (see {@link VerifiedTokenCache}: keyed by SHA-256, used only while
 * {@code now < exp}, successful verifications only; emptied when the issuer's key set changes). Give the guard the
 * same {@link Clock} as the verifier. The cache judges {@code exp} only: a verifier built with {@code maxAge}
 * needs {@code cacheSize(0)}, since a cached entry is not re-checked against the token's {@code iat}.
 */
public final class Guard implements AutoCloseable {

    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final String DEFAULT_REALM = "jot";
    /** RFC 9068 §4: access tokens are explicitly typed, so that an ID token is never taken for one. */
    public static final String DEFAULT_TYPE = "at+jwt";

    private final Function<String, VerifiedJwt> verify;
    private final RemoteJwks remote;
    private final List<TokenSource> sources;
    private final RevocationCheck revocation;
    private final AutoCloseable ownedRevocations;
    private final Clock clock;
    private final VerifiedTokenCache cache;
    private final Rejections rejections;
    private final UsageMeter meter;
    private final RateLimits limits;
    private final QuotaBoard quotas;
    /** The audiences this guard accepts, to say which one a request was for; empty: the token's first. */
    private final List<String> audiences;
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();

    private Guard(Builder b) {
        this.sources = List.copyOf(b.sources.isEmpty() ? TokenSource.DEFAULT : b.sources);
        this.revocation = b.revocation;
        this.ownedRevocations = b.ownedRevocations;
        this.clock = b.clock;
        this.cache = new VerifiedTokenCache(b.cacheSize);
        this.rejections = new Rejections(b.realm);
        this.remote = b.issuer == null ? null : new RemoteJwks(b.issuer, b.policy(), b.fetch, cache::clear);
        Function<String, VerifiedJwt> v = remote == null ? b.verifier::verify : remote::verify;
        this.verify = b.verifyWrapper.apply(v);
        this.meter = b.meter;
        this.limits = b.limits;
        this.quotas = b.limits == null ? null : b.limits.board() != null ? b.limits.board()
                : b.revocation instanceof RemoteRevocations feed ? feed.quotas() : null;
        this.audiences = b.anyAudience ? List.of() : List.copyOf(b.audiences);
    }

    /** A guard that verifies with {@code verifier}: its keys, algorithms and claim rules. */
    public static Builder builder(JwtVerifier verifier) {
        return new Builder(Objects.requireNonNull(verifier), null);
    }

    /**
     * A guard for the tokens of {@code issuer}, an OpenID Connect issuer URL ({@code https}, or {@code http} to a
     * loopback address only: refused here otherwise). Its keys come from the issuer's discovery document
     * ({@code /.well-known/openid-configuration}), whose {@code issuer} must equal this one (RFC 8414 §3.3), and
     * then its {@code jwks_uri}. Name the audience before {@link Builder#build()}.
     */
    public static Builder forIssuer(String issuer) {
        Endpoints.issuer(Objects.requireNonNull(issuer));
        return new Builder(null, issuer);
    }

    /**
     * A 401 {@code invalid_token} refusal in this guard's realm, for checks an application makes after the guard
     * accepted the token (e.g. the account behind it is gone). {@code description} must be fixed text: it is
     * sent to the client in the challenge.
     */
    public AuthResult.Rejected invalidToken(String description) {
        return rejections.invalidToken(description);
    }

    /** The sources consulted, in order. */
    public List<TokenSource> sources() {
        return sources;
    }

    /** Finds, verifies and revocation-checks the request's token. Never throws for bad input. */
    public AuthResult authenticate(GuardRequest request) {
        return switch (TokenExtractor.extract(sources, request)) {
            case Absent a -> rejections.missing();
            case Malformed m -> rejections.invalidRequest(m.description());
            case Found f -> authenticateToken(f);
        };
    }

    /**
     * Lets {@code auth} through when its token grants {@code role} (see {@link Authenticated#hasRole}: the
     * {@code roles} claim or the {@code scope} claim); otherwise 403 {@code insufficient_scope} naming the role
     * (RFC 6750 §3.1). New code says which claim it means: {@link AuthResult#requireRole} or
     * {@link AuthResult#requireScope}.
     *
     * @param role a scope-token (RFC 6749 §3.3: printable ASCII without space, {@code "} or {@code \})
     */
    public AuthResult require(Authenticated auth, String role) {
        Objects.requireNonNull(auth);
        new Access.Role(role); // refuses what is not a scope-token
        return auth.hasRole(role) ? auth : rejections.insufficientScope(role);
    }

    /**
     * For a guard made by {@link #forIssuer}: fetches the issuer's key set now, without waiting for it to be due,
     * and waits for the outcome (at most the fetch's timeouts). Returns whether a usable set is loaded. A guard
     * with a given verifier has nothing to fetch and answers true.
     */
    public boolean refreshKeys() {
        if (remote == null) {
            return true;
        }
        remote.refresh();
        return remote.usable(clock.millis());
    }

    /**
     * Counts a request this guard decided on, once its answer is known: an {@link Authenticated} one as usage of
     * its token's subject, client and audience on {@code route} (the route template, e.g. {@code /orders/{id}},
     * never the raw path) with the answer's {@code status}; a {@link AuthResult.Rejected} one by its reason (route
     * and status are not kept for those). Does nothing for a guard without {@link Builder#metering}. The
     * adapters call this; an application with its own adapter calls it after answering.
     */
    public void record(AuthResult result, String route, int status) {
        if (meter == null) {
            return;
        }
        switch (result) {
            case Authenticated a -> {
                var claims = a.jwt().claims();
                String subject = claims.get(dev.jot.jwt.Claims.SUBJECT) instanceof String s ? s : "";
                String client = claims.get("client_id") instanceof String c ? c : null;
                meter.count(subject, client, audienceOf(claims.audience()), Objects.requireNonNull(route), status);
            }
            case AuthResult.Rejected r -> meter.rejected(r.code());
        }
    }

    /** Whether {@link #record} counts anything: the guard was built with {@link Builder#metering}. */
    public boolean metering() {
        return meter != null;
    }

    /** The audience a request counts under: the first of the token's that this guard accepts, else its first. */
    private String audienceOf(List<String> aud) {
        if (aud.isEmpty()) {
            return null;
        }
        for (String a : aud) {
            if (audiences.contains(a)) {
                return a;
            }
        }
        return aud.get(0);
    }

    /** The guard's counters for an application's metrics. */
    public GuardStats stats() {
        RemoteRevocations feed = revocation instanceof RemoteRevocations r ? r : null;
        return new GuardStats(cacheHits.sum(), cacheMisses.sum(), cache.size(), remote == null ? 0 : remote.fetches(),
                feed == null ? java.util.Optional.empty() : java.util.Optional.of(feed.isInSync()),
                feed == null ? java.util.Optional.empty() : feed.lastEventAt(), feed == null ? 0 : feed.denials(),
                quotas == null ? 0 : quotas.size(), limits == null ? 0 : limits.buckets());
    }

    /** Stops fetching keys and closes the revocation feed given to {@link Builder#revocations}, if any. */
    @Override
    public void close() {
        if (remote != null) {
            remote.close();
        }
        if (ownedRevocations != null) {
            try {
                ownedRevocations.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the revocation feed failed", e);
            }
        }
    }

    private AuthResult authenticateToken(Found token) {
        VerifiedTokenCache.Key key = cache.enabled() ? VerifiedTokenCache.keyOf(token.source(), token.from()) : null;
        long now = clock.millis();
        VerifiedJwt jwt = key == null ? null : cache.get(key, now);
        if (jwt != null && remote != null && !remote.usable(now)) {
            jwt = null; // the keys that verified it are past their bound: the verifier decides (and refuses)
        }
        if (jwt != null) {
            cacheHits.increment();
        }
        if (jwt == null) {
            cacheMisses.increment();
            try {
                jwt = verify.apply(token.token());
            } catch (JwtException e) {
                return rejections.invalidToken(e);
            }
            if (key != null) {
                cache.put(key, jwt, clock.millis());
            }
        }
        // Revocation wins over the cache: asked on every request, hit or miss.
        if (revocation.isRevoked(jwt)) {
            if (key != null) {
                cache.remove(key);
            }
            return rejections.revoked();
        }
        if (limits != null) {
            RateLimits.Verdict v = limits.check(jwt, quotas, clock.millis());
            if (v != null) {
                return v.refused() ? rejections.quotaExceeded(v.status()) : new Authenticated(jwt, rejections, v.status());
            }
        }
        return new Authenticated(jwt, rejections);
    }

    /** Entries in the verified-token cache (for tests and metrics). */
    int cachedTokens() {
        return cache.size();
    }

    /** The remote key set, for tests; null for a guard with a given verifier. */
    RemoteJwks remoteKeys() {
        return remote;
    }

    /**
     * Configures a guard. Every setting has a default, except, for {@link #forIssuer}, the audience. The token
     * rules ({@link #audience}, {@link #type}, {@link #clockSkew}, {@link #algorithms}) and the fetch settings
     * belong to {@code forIssuer} guards: a guard built on a {@link JwtVerifier} follows that verifier's rules, so
     * setting them here is refused.
     */
    public static final class Builder {
        private final JwtVerifier verifier;
        private final String issuer;
        private final List<TokenSource> sources = new ArrayList<>();
        private RevocationCheck revocation = RevocationCheck.NONE;
        private AutoCloseable ownedRevocations;
        private Clock clock = Clock.systemUTC();
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private String realm = DEFAULT_REALM;
        private UnaryOperator<Function<String, VerifiedJwt>> verifyWrapper = UnaryOperator.identity();
        private UsageMeter meter;
        private RateLimits limits;
        // forIssuer only: token rules
        private final Set<String> audiences = new LinkedHashSet<>();
        private boolean anyAudience;
        private String type = DEFAULT_TYPE;
        private Duration clockSkew = JwtVerifier.DEFAULT_CLOCK_SKEW;
        private final Set<Algorithm> algorithms = EnumSet.noneOf(Algorithm.class);
        private FetchSettings fetch = FetchSettings.DEFAULTS;

        private Builder(JwtVerifier verifier, String issuer) {
            this.verifier = verifier;
            this.issuer = issuer;
        }

        /**
         * Where tokens are read from, in order; replaces the default ({@link TokenSource#bearer()} alone). Include
         * {@code bearer()} explicitly to keep it alongside opt-in sources.
         */
        public Builder sources(TokenSource... more) {
            return sources(List.of(more));
        }

        public Builder sources(List<TokenSource> more) {
            List<TokenSource> all = new ArrayList<>(sources);
            all.addAll(more);
            if (new LinkedHashSet<>(all).size() != all.size()) {
                throw new IllegalArgumentException("a token source is listed twice");
            }
            sources.clear();
            sources.addAll(all);
            return this;
        }

        /** How revoked tokens are recognised, for a check the application keeps itself. */
        public Builder revocationCheck(RevocationCheck check) {
            this.revocation = Objects.requireNonNull(check);
            this.ownedRevocations = null;
            return this;
        }

        /** Revoked tokens are those the issuer's feed denies; the guard closes the feed when it is closed. */
        public Builder revocations(RemoteRevocations feed) {
            this.revocation = Objects.requireNonNull(feed);
            this.ownedRevocations = feed;
            return this;
        }

        /**
         * Counts every request the guard decides on into {@code meter} (see {@link #record}; the Javalin plugin and
         * the Servlet filter do it for you), to be shipped by a {@link dev.jot.guard.usage.UsageShipper}:
         *
         * <pre>{@code
         * UsageMeter meter = new UsageMeter();
         * Guard guard = Guard.forIssuer(issuer).audience("orders-api").metering(meter).build();
         * UsageShipper shipper = UsageShipper.builder(meter, HttpUsageSink.forIssuer(issuer, machine)).start();
         * }</pre>
         *
         * Off by default. Give the meter the guard's clock.
         */
        public Builder metering(UsageMeter meter) {
            this.meter = Objects.requireNonNull(meter);
            return this;
        }

        /**
         * Enforces the rate limits and quotas of the tokens' {@code jot_limits} claim (see {@link RateLimits}):
         * refusals are 429 {@code quota_exceeded}, and answers carry the {@code RateLimit-Policy} and
         * {@code RateLimit} fields. Quota events come from the feed given to {@link #revocations}, unless
         * {@link RateLimits.Builder#quotas} names another board. Off by default.
         */
        public Builder rateLimits(RateLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** Judges cache entries' {@code exp} (and, for {@code forIssuer}, tokens and key sets); use the verifier's clock. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Maximum verified tokens kept (default 10,000, roughly 1–2 KiB each); 0 disables the cache. */
        public Builder cacheSize(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("cache size must not be negative");
            }
            this.cacheSize = entries;
            return this;
        }

        /** The {@code realm} of the challenge (RFC 7235 §2.2), {@code jot} by default. */
        public Builder realm(String realm) {
            Rejections.quoted(Objects.requireNonNull(realm)); // rejects control characters now, not per request
            this.realm = realm;
            return this;
        }

        /**
         * The audiences this API answers to: a token's {@code aud} must contain one of them (RFC 9068 §4: a
         * resource server MUST check that the token was meant for it). Required, unless {@link #anyAudience()}.
         */
        public Builder audience(String... names) {
            forIssuerOnly("the audience");
            for (String a : names) {
                if (Objects.requireNonNull(a).isEmpty()) {
                    throw new IllegalArgumentException("an audience must not be empty");
                }
                audiences.add(a);
            }
            return this;
        }

        /** Accepts tokens for any audience: only for an issuer whose every token is meant for every API. */
        public Builder anyAudience() {
            forIssuerOnly("the audience");
            this.anyAudience = true;
            return this;
        }

        /** The required {@code typ} header, {@code at+jwt} by default (RFC 9068 §4); compared per RFC 7515 §4.1.9. */
        public Builder type(String typ) {
            forIssuerOnly("the token type");
            if (Objects.requireNonNull(typ).isEmpty()) {
                throw new IllegalArgumentException("a type must not be empty; anyType() accepts any");
            }
            this.type = typ;
            return this;
        }

        /** Accepts tokens of any {@code typ}, or none: for issuers that do not type their access tokens. */
        public Builder anyType() {
            forIssuerOnly("the token type");
            this.type = null;
            return this;
        }

        /** Leniency for {@code exp} and {@code nbf}, 60 s by default. */
        public Builder clockSkew(Duration skew) {
            forIssuerOnly("the clock skew");
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative");
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * The allowed algorithms. Unset (the default), each key of the set verifies exactly its own {@code alg},
         * and a key without {@code alg} is not used at all; set, keys whose {@code alg} is another are not used,
         * and keys without {@code alg} verify those of these algorithms that suit them. HMAC is refused: a shared
         * secret is never fetched from a URL.
         */
        public Builder algorithms(Algorithm... algs) {
            forIssuerOnly("the algorithms");
            for (Algorithm a : algs) {
                if (a.isSymmetric()) {
                    throw new IllegalArgumentException(a.jwsName() + " needs a shared secret: use Guard.builder(verifier)");
                }
                algorithms.add(a);
            }
            return this;
        }

        /**
         * Bounds on how long a fetched key set is fresh: its {@code Cache-Control: max-age} (less {@code Age},
         * RFC 9111 §4.2.1; 5 minutes when absent) clamped to {@code [min, max]}, 30 s and 24 h by default. The
         * set is refreshed in the background when four fifths of that time have passed.
         */
        public Builder keyCacheBounds(Duration min, Duration max) {
            forIssuerOnly("the key cache bounds");
            this.fetch = fetch.withFreshBounds(min, max);
            return this;
        }

        /** A token naming a key the set lacks triggers at most one refetch per this (30 s by default). */
        public Builder unknownKeyCooldown(Duration cooldown) {
            forIssuerOnly("the unknown-key cooldown");
            this.fetch = fetch.withUnknownKeyCooldown(cooldown);
            return this;
        }

        /** Connect timeout (2 s by default) and the time the whole response may take (5 s by default). */
        public Builder timeouts(Duration connect, Duration read) {
            forIssuerOnly("the timeouts");
            this.fetch = fetch.withTimeouts(connect, read);
            return this;
        }

        /**
         * While the issuer cannot be reached, the last good key set keeps verifying for this long after it went
         * stale (24 h by default, at most 30 days); after that, every token is refused until a fetch succeeds.
         */
        public Builder serveStaleKeysFor(Duration bound) {
            forIssuerOnly("the stale-key bound");
            this.fetch = fetch.withServeStaleFor(bound);
            return this;
        }

        /** Tests drive fetches by hand ({@link RemoteJwks#maintain()}) with this off. */
        Builder backgroundRefresh(boolean on) {
            this.fetch = fetch.withBackground(on);
            return this;
        }

        /** Tests count or observe verifications through this; it always wraps a real verification. */
        Builder verifyWith(UnaryOperator<Function<String, VerifiedJwt>> wrapper) {
            UnaryOperator<Function<String, VerifiedJwt>> before = verifyWrapper;
            this.verifyWrapper = f -> wrapper.apply(before.apply(f));
            return this;
        }

        public Guard build() {
            if (issuer != null && audiences.isEmpty() && !anyAudience) {
                throw new IllegalStateException("name the audience this API accepts (RFC 9068 §4), or call anyAudience()");
            }
            return new Guard(this);
        }

        private void forIssuerOnly(String what) {
            if (issuer == null) {
                throw new IllegalStateException(what + " is part of the JwtVerifier given to Guard.builder: set it there");
            }
        }

        private VerifierPolicy policy() {
            return new VerifierPolicy(issuer, anyAudience ? List.of() : List.copyOf(audiences), type, clockSkew,
                    algorithms, clock);
        }
    }
}
