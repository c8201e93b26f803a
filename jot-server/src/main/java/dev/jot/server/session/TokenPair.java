package dev.jot.server.session;

import dev.jot.server.token.AccessToken;

/** What a login or refresh hands out: an access token and the session's new refresh token. */
public record TokenPair(AccessToken access, String refreshToken, String sessionId) {
    @Override
    public String toString() {
        return "TokenPair[session=" + sessionId + ", access=" + access + "]"; // never the tokens
    }
}
