package dev.jot.server.token;

import dev.jot.jwt.Claims;
import dev.jot.server.keys.SigningKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Issues RFC 9068 JWT access tokens with the active signing key. */
public final class TokenService {
    /** The {@code client_id} of tokens from the first-party {@code /login} route (RFC 9068 §2.2 requires one). */
    public static final String FIRST_PARTY_CLIENT = "jot";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;
    /** The {@code jot_limits} claim for a token's bucket, or null when no limit applies (set once at start-up). */
    private volatile java.util.function.BiFunction<String, String, java.util.Map<String, Object>> limits = (k, v) -> null;

    public TokenService(SigningKeys keys, String issuer, String audience, Duration ttl, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Signs the access token {@code request} describes. A session's token carries {@code sid} (the OpenID
     * Connect session claim), so that ending the session can deny every access token it issued; a machine
     * credential's carries no roles, only its scope.
     */
    public AccessToken issue(TokenRequest request) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String scope = Scopes.format(request.grant().scope());
        Claims.Builder claims = Claims.builder()
                .issuer(issuer)
                .subject(request.subject()) // RFC 9068 §2.2: a stable identifier, not the (changeable) username
                .audience(request.grant().audience())
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .jwtId(randomId())
                .claim("client_id", request.clientId())
                .claim("scope", scope);
        request.roles().ifPresent(r -> claims.claim("roles", r));
        request.username().ifPresent(u -> claims.claim("preferred_username", u));
        request.sessionId().ifPresent(sid -> claims.claim("sid", sid));
        String kind = bucketKind(request.clientId());
        String value = bucketValue(request.subject(), request.clientId());
        java.util.Map<String, Object> limited = limits.apply(kind, value);
        if (limited != null) {
            // The bucket is named: a guard cannot tell a login's first-party client_id from a machine client's.
            java.util.Map<String, Object> claim = new java.util.LinkedHashMap<>(limited);
            claim.put(dev.jot.guard.RateLimits.BUCKET, kind + ":" + value);
            claims.claim(dev.jot.guard.RateLimits.CLAIM, claim);
        }
        return new AccessToken(keys.signer().sign(claims.build()), ttl.toSeconds(), scope);
    }

    /**
     * Where the {@code jot_limits} claim comes from: given a bucket's kind ({@code sub} or {@code client}) and value,
     * the claim's object ({@code {"minute":600,"day":null,…}}) or null when no limit applies.
     */
    public void limits(java.util.function.BiFunction<String, String, java.util.Map<String, Object>> source) {
        this.limits = java.util.Objects.requireNonNull(source);
    }

    /**
     * Whose quotas a token counts against: the credential ({@code client}) for API-key and client-credentials
     * tokens, else the user ({@code sub}): a login's {@code client_id} is {@value #FIRST_PARTY_CLIENT}, not a bucket.
     */
    public static String bucketKind(String clientId) {
        return clientId != null && !clientId.isEmpty() && !clientId.equals(FIRST_PARTY_CLIENT) ? "client" : "sub";
    }

    /** The bucket's value for {@link #bucketKind}: the client id or the subject. */
    public static String bucketValue(String subject, String clientId) {
        return bucketKind(clientId).equals("client") ? clientId : subject;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issuer() {
        return issuer;
    }

    /** The server's own audience ({@code --audience}, or the issuer). */
    public String audience() {
        return audience;
    }

    private static String randomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
