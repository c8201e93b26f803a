package dev.jot.server.keys;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code signing_keys}. */
final class SigningKeyRepository {
    private final Jdbi jdbi;

    SigningKeyRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Active keys, oldest first: every instance picks the same one even if two generated a key at once. */
    List<StoredKey> active() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT kid, alg, status, private_jwk_encrypted, public_jwk, created_at
                        FROM signing_keys WHERE status = :status ORDER BY created_at, kid""")
                .bind("status", StoredKey.ACTIVE)
                .map((rs, ctx) -> new StoredKey(rs.getString("kid"), rs.getString("alg"), rs.getString("status"),
                        rs.getString("private_jwk_encrypted"), rs.getString("public_jwk"),
                        rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant()))
                .list());
    }

    void insert(StoredKey k) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO signing_keys (kid, alg, status, private_jwk_encrypted, public_jwk, created_at)
                        VALUES (:kid, :alg, :status, :enc, :pub, :created)""")
                .bind("kid", k.kid()).bind("alg", k.alg()).bind("status", k.status())
                .bind("enc", k.privateJwkEncrypted()).bind("pub", k.publicJwk())
                .bind("created", java.time.OffsetDateTime.ofInstant(k.createdAt(), java.time.ZoneOffset.UTC))
                .execute());
    }

    static Instant now() {
        // Microsecond precision is what PostgreSQL keeps; truncating keeps ordering stable across databases.
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
