package dev.jot.server.token;

/** A signed access token and its lifetime in seconds (the {@code expires_in} of RFC 6749 §5.1). */
public record AccessToken(String token, long expiresIn) {
    @Override
    public String toString() {
        return "AccessToken[expiresIn=" + expiresIn + "]"; // never print the token itself
    }
}
