package dev.jot.server.keys;

import java.time.Instant;

/** A row of {@code signing_keys}: the private JWK stays encrypted until {@link SigningKeys} needs it. */
record StoredKey(String kid, String alg, String status, String privateJwkEncrypted, String publicJwk,
                 Instant createdAt) {
    static final String ACTIVE = "active";
}
