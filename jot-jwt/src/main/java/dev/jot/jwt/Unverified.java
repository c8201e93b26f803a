package dev.jot.jwt;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads a compact JWS <b>without verifying it</b>, for debugging and the CLI's {@code decode}. Nothing here
 * says a token is genuine; never use it to make an access decision. Structure and JSON are still strict.
 */
public final class Unverified {

    private Unverified() {
    }

    /** What an unverified token says about itself. {@code claims} is null when the payload is not a JSON object. */
    public record DecodedJwt(Map<String, Object> header, Map<String, Object> claims, byte[] payload) {
        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    public static DecodedJwt decode(String token) {
        if (token == null || token.length() > 1024 * 1024) {
            throw JwtException.malformed("no token or token too large");
        }
        CompactJws jws = CompactJws.split(token.strip());
        Map<String, Object> header = Json.parseObject(jws.headerBytes(), Json.DEFAULT_MAX_DEPTH);
        Map<String, Object> claims;
        try {
            claims = Json.parseObject(jws.payload(), Json.DEFAULT_MAX_DEPTH);
        } catch (JwtException e) {
            claims = null;
        }
        return new DecodedJwt(header, claims, jws.payload());
    }
}
