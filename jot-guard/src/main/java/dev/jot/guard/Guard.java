package dev.jot.guard;

import dev.jot.guard.AuthResult.Authenticated;
import dev.jot.guard.TokenExtractor.Absent;
import dev.jot.guard.TokenExtractor.Found;
import dev.jot.guard.TokenExtractor.Malformed;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.VerifiedJwt;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Protects a resource: finds the bearer token in a request, verifies it with {@code jot-jwt}, asks the
 * {@link RevocationCheck}, and answers either {@link Authenticated} or a ready-made refusal (status, Jot error
 * code, {@code WWW-Authenticate} per RFC 6750 §3). Built once and shared; thread-safe.
 *
 * <pre>{@code
 * Guard guard = Guard.builder(verifier).revocationCheck(jwt -> revoked.contains(jwt.claims().jwtId().orElse(""))).build();
 * switch (guard.authenticate(request)) {
 *     case Authenticated a -> ...                       // a.jwt().claims()
 *     case Rejected r -> respond(r.status(), r.code(), r.description(), r.wwwAuthenticate());
 * }
 * }</pre>
 *
 * <p>Verified tokens are cached (see {@link VerifiedTokenCache}: keyed by SHA-256, used only while
 * {@code now < exp}, successful verifications only). Give the guard the same {@link Clock} as the verifier.
 * The cache judges {@code exp} only: a verifier built with {@code maxAge} needs {@code cacheSize(0)}, since a
 * cached entry is not re-checked against the token's {@code iat}.
 */
public final class Guard {

    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final String DEFAULT_REALM = "jot";

    private final Function<String, VerifiedJwt> verify;
    private final List<TokenSource> sources;
    private final RevocationCheck revocation;
    private final Clock clock;
    private final VerifiedTokenCache cache;
    private final Rejections rejections;

    private Guard(Builder b) {
        this.verify = b.verify;
        this.sources = List.copyOf(b.sources.isEmpty() ? TokenSource.DEFAULT : b.sources);
        this.revocation = b.revocation;
        this.clock = b.clock;
        this.cache = new VerifiedTokenCache(b.cacheSize);
        this.rejections = new Rejections(b.realm);
    }

    public static Builder builder(JwtVerifier verifier) {
        return new Builder(Objects.requireNonNull(verifier)::verify);
    }

    /** The sources consulted, in order. */
    /**
     * A 401 {@code invalid_token} refusal in this guard's realm, for checks an application makes after the guard
     * accepted the token (e.g. the account behind it is gone). {@code description} must be fixed text: it is
     * sent to the client in the challenge.
     */
    public AuthResult.Rejected invalidToken(String description) {
        return rejections.invalidToken(description);
    }

    public List<TokenSource> sources() {
        return sources;
    }

    /** Finds, verifies and revocation-checks the request's token. Never throws for bad input. */
    public AuthResult authenticate(GuardRequest request) {
        return switch (TokenExtractor.extract(sources, request)) {
            case Absent a -> rejections.missing();
            case Malformed m -> rejections.invalidRequest(m.description());
            case Found f -> authenticateToken(f.token());
        };
    }

    /**
     * Lets {@code auth} through when its token grants {@code role} (see {@link Authenticated#hasRole}); otherwise
     * 403 {@code insufficient_scope} naming the role (RFC 6750 §3.1).
     *
     * @param role a scope-token (RFC 6749 §3.3: printable ASCII without space, {@code "} or {@code \})
     */
    public AuthResult require(Authenticated auth, String role) {
        Objects.requireNonNull(auth);
        if (!isScopeToken(role)) {
            throw new IllegalArgumentException("a role must be a non-empty scope-token (RFC 6749 §3.3)");
        }
        return auth.hasRole(role) ? auth : rejections.insufficientScope(role);
    }

    private AuthResult authenticateToken(String token) {
        VerifiedTokenCache.Key key = cache.enabled() ? VerifiedTokenCache.keyOf(token) : null;
        VerifiedJwt jwt = key == null ? null : cache.get(key, clock.millis());
        if (jwt == null) {
            try {
                jwt = verify.apply(token);
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
        return new Authenticated(jwt);
    }

    /** Entries in the verified-token cache (for tests and metrics). */
    int cachedTokens() {
        return cache.size();
    }

    /** RFC 6749 §3.3 {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    private static boolean isScopeToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Configures a guard; every setting but the verifier has a default. */
    public static final class Builder {
        private Function<String, VerifiedJwt> verify;
        private final List<TokenSource> sources = new ArrayList<>();
        private RevocationCheck revocation = RevocationCheck.NONE;
        private Clock clock = Clock.systemUTC();
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private String realm = DEFAULT_REALM;

        private Builder(Function<String, VerifiedJwt> verify) {
            this.verify = verify;
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

        public Builder revocationCheck(RevocationCheck check) {
            this.revocation = Objects.requireNonNull(check);
            return this;
        }

        /** Judges cache entries' {@code exp}; use the verifier's clock. */
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

        /** Tests count or observe verifications through this; it always wraps a real {@link JwtVerifier}. */
        Builder verifyWith(Function<Function<String, VerifiedJwt>, Function<String, VerifiedJwt>> wrapper) {
            this.verify = wrapper.apply(verify);
            return this;
        }

        public Guard build() {
            return new Guard(this);
        }
    }
}
