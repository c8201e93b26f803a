package dev.jot.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The MAC of a signing-key row: HMAC-SHA256 under a key derived from the master key
 * ({@link MasterKey#SIGNING_KEY_ROW_MAC}) over the kid, algorithm, status, public JWK and lifecycle dates, each
 * length-prefixed so that no two rows encode alike. Whoever can write to the database but does not hold the master
 * key cannot add a key to the published JWKS, change one, or keep a retired one published. (The private half is
 * authenticated by its own AES-GCM tag, bound to the kid.)
 */
final class KeyMac {
    private final SecretKey key;

    KeyMac(SecretKey masterKey) {
        this.key = MasterKey.derive(masterKey, MasterKey.SIGNING_KEY_ROW_MAC, "HmacSHA256");
    }

    String of(StoredKey k) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (String field : new String[] {k.kid(), k.alg(), k.status(), k.publicJwk(), time(k.createdAt()),
                    time(k.activatedAt()), time(k.retiredAt()), time(k.publishedUntil())}) {
                byte[] b = field.getBytes(StandardCharsets.UTF_8);
                mac.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                mac.update(b);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Whether the row's MAC is the one its fields give (compared in constant time). */
    boolean verifies(StoredKey k) {
        return k.rowMac() != null && MessageDigest.isEqual(k.rowMac().getBytes(StandardCharsets.US_ASCII),
                of(k).getBytes(StandardCharsets.US_ASCII));
    }

    /** Microseconds since the epoch: what both databases keep exactly. */
    private static String time(Instant t) {
        return t == null ? "-" : Long.toString(t.getEpochSecond() * 1_000_000 + t.getNano() / 1000);
    }
}
