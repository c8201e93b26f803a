package dev.jot.server.keys;

import java.security.SecureRandom;
import java.util.Base64;
import org.jdbi.v3.core.Jdbi;

/**
 * The HS256 key's {@code kid}: 128 random bits made once and kept in {@code server_values}, so that every instance
 * on the database and every restart sign with the same {@code kid} (the server's guard selects keys by it). It does
 * not follow the secret: after replacing {@code JOT_HMAC_SECRET}, old tokens fail their signature check rather than
 * the key lookup, which refuses them all the same. SQL for that one row.
 */
final class HmacKidRepository {
    private static final String NAME = "hs256_kid";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    HmacKidRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The stored kid, made now if there is none (of instances racing to make it, the first insert wins). */
    String kid() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        return jdbi.inTransaction(h -> {
            // INSERT ... SELECT ... WHERE NOT EXISTS: no error on a race (PostgreSQL would abort the transaction)
            h.createUpdate("INSERT INTO server_values (value_name, value_text) SELECT :name, :value WHERE NOT EXISTS "
                            + "(SELECT 1 FROM server_values WHERE value_name = :name)")
                    .bind("name", NAME).bind("value", fresh).execute();
            return h.createQuery("SELECT value_text FROM server_values WHERE value_name = :name").bind("name", NAME)
                    .mapTo(String.class).one();
        });
    }
}
