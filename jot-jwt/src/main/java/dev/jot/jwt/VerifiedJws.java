package dev.jot.jwt;

/** A JWS whose signature verified; the payload is arbitrary bytes and no claims were checked. */
public record VerifiedJws(Header header, byte[] payload) {
    public VerifiedJws {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
