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
        return new AccessToken(keys.signer().sign(claims.build()), ttl.toSeconds(), scope);
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
