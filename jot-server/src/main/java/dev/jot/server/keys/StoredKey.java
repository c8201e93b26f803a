package dev.jot.server.keys;

import java.time.Instant;

/**
 * A row of {@code signing_keys}: the private JWK stays encrypted until a {@link KeyRing} needs it (and is erased,
 * {@code ""}, once the key retires). {@code activatedAt} is set from the moment a key signs; {@code retiredAt} and
 * {@code publishedUntil} once it stops. {@code rowMac} authenticates the rest ({@link KeyMac}); null on a key not
 * yet written.
 */
record StoredKey(String kid, String alg, String status, String privateJwkEncrypted, String publicJwk,
                 Instant createdAt, Instant activatedAt, Instant retiredAt, Instant publishedUntil, String rowMac) {
    static final String NEXT = "next";
    static final String ACTIVE = "active";
    static final String RETIRED = "retired";

    boolean isNext() {
        return NEXT.equals(status);
    }

    boolean isActive() {
        return ACTIVE.equals(status);
    }

    boolean isRetired() {
        return RETIRED.equals(status);
    }

    /** A key the ring may promote: generated now, not signing yet. */
    static StoredKey next(String kid, String alg, String privateJwkEncrypted, String publicJwk, Instant now) {
        return new StoredKey(kid, alg, NEXT, privateJwkEncrypted, publicJwk, now, null, null, null, null);
    }

    /** The very first key of a database: it signs at once (there is nothing older to sign with). */
    static StoredKey firstActive(String kid, String alg, String privateJwkEncrypted, String publicJwk, Instant now) {
        return new StoredKey(kid, alg, ACTIVE, privateJwkEncrypted, publicJwk, now, now, null, null, null);
    }
}
