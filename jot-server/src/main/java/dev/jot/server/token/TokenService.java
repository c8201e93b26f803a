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
    /** The scope granted by password login until scoped clients exist. */
    public static final String DEFAULT_SCOPE = "profile";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(SigningKeys keys, String issuer, String audience, Duration ttl, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * An access token for {@code user} in session {@code sessionId}, carried as {@code sid} (the OpenID
     * Connect session claim) so that ending the session can deny every access token it issued.
     */
    public AccessToken issue(Subject user, String sessionId) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Claims claims = Claims.builder()
                .issuer(issuer)
                .subject(user.id()) // RFC 9068 §2.2: a stable identifier, not the (changeable) username
                .audience(audience)
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .jwtId(randomId())
                .claim("client_id", FIRST_PARTY_CLIENT)
                .claim("scope", DEFAULT_SCOPE)
                .claim("roles", user.roles())
                .claim("preferred_username", user.username())
                .claim("sid", sessionId)
                .build();
        return new AccessToken(keys.signer().sign(claims), ttl.toSeconds());
    }

    public Duration ttl() {
        return ttl;
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    private static String randomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
