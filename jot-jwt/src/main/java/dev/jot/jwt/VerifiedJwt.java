package dev.jot.jwt;

/** A token whose signature verified and whose claims passed the verifier's policy. */
public record VerifiedJwt(Header header, Claims claims) {
}
