package dev.jot.server.token;

import dev.jot.server.http.TokenResponse;
import java.util.Optional;

/**
 * A signed access token, its lifetime in seconds (the {@code expires_in} of RFC 6749 §5.1) and its scope
 * (space-separated, as the response's {@code scope} carries it).
 */
public record AccessToken(String token, long expiresIn, String scope) {
    /** The RFC 6749 §5.1 answer of a grant that starts no session: no refresh token (§4.4.3). */
    public TokenResponse toResponse() {
        return new TokenResponse(token, expiresIn, Optional.empty(), scope);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresIn=" + expiresIn + ", scope=" + scope + "]"; // never print the token itself
    }
}
