package dev.jot.server.http;

import java.util.Objects;
import java.util.Optional;

/**
 * What a token request hands out (RFC 6749 §5.1): an access token, its lifetime in seconds, its scope, and a
 * refresh token when the grant starts or renews a session.
 */
public record TokenResponse(String accessToken, long expiresIn, Optional<String> refreshToken, String scope) {
    public TokenResponse {
        Objects.requireNonNull(accessToken);
        Objects.requireNonNull(refreshToken);
        Objects.requireNonNull(scope);
    }

    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn + ", scope=" + scope + "]"; // never the tokens
    }
}
