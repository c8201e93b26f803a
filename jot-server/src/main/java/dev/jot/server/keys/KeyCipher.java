package dev.jot.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for private JWKs at rest. A fresh 96-bit nonce per encryption (NIST SP 800-38D §8.2.2); the
 * {@code kid} is bound as associated data so a ciphertext cannot be moved to another key's row.
 * Format: {@code v2.<base64url(nonce ‖ ciphertext ‖ tag)>} under a key derived from the master key
 * ({@link MasterKey#SIGNING_KEY_ENCRYPTION}); {@code v1.} rows, written before keys were derived, are encrypted
 * under the master key itself and still decrypt (rotation replaces them within one rotation period).
 */
final class KeyCipher {
    private static final String PREFIX = "v2.";
    private static final String LEGACY_PREFIX = "v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final SecretKey legacyKey;

    KeyCipher(SecretKey masterKey) {
        this.key = MasterKey.derive(masterKey, MasterKey.SIGNING_KEY_ENCRYPTION, "AES");
        this.legacyKey = masterKey;
    }

    String encrypt(String plaintext, String kid) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    String decrypt(String stored, String kid) {
        SecretKey k = stored.startsWith(PREFIX) ? key : stored.startsWith(LEGACY_PREFIX) ? legacyKey : null;
        if (k == null) {
            throw new IllegalStateException("signing key " + kid + " has an unknown encryption format");
        }
        byte[] in = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("signing key " + kid
                    + " cannot be decrypted: the master key (JOT_MASTER_KEY or master.key) is not the one it was stored with");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
