package dev.jot.server.session;

import dev.jot.server.http.TokenResponse;
import dev.jot.server.token.AccessToken;
import java.util.Optional;

/** What a login or refresh hands out: an access token and the session's new refresh token. */
public record TokenPair(AccessToken access, String refreshToken, String sessionId) {
    /** The RFC 6749 §5.1 answer. */
    public TokenResponse toResponse() {
        return new TokenResponse(access.token(), access.expiresIn(), Optional.of(refreshToken), access.scope());
    }

    @Override
    public String toString() {
        return "TokenPair[session=" + sessionId + ", access=" + access + "]"; // never the tokens
    }
}
