package dev.jot.server.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import dev.jot.server.keys.MasterKey;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refresh tokens: 256 random bits, base64url (43 characters), stored only as their SHA-256.
 *
 * <p>The token that replaces a spent one is derived from it: {@code HMAC-SHA256(successor key, spent token)}.
 * So a retry within the grace window (a network retry, a second tab) can be handed the very token the first
 * refresh issued — the session keeps one head — without the database ever holding a usable token. Only the
 * server knows the successor key (derived from the master key), so holding a token does not reveal its successor.
 */
final class RefreshTokens {
    /** Longest refresh token accepted as input: ours are 43 characters; anything far longer is not ours. */
    static final int MAX_LENGTH = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKey successorKey;

    RefreshTokens(SecretKey masterKey) {
        this.successorKey = MasterKey.derive(masterKey, MasterKey.REFRESH_TOKEN_SUCCESSOR, "HmacSHA256");
    }

    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    /** The stored form: base64url SHA-256 (a refresh token has 256 bits of entropy, so no salt or stretching). */
    static String hash(String token) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    String successorOf(String token) {
        return B64.encodeToString(hmac(successorKey, token.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(SecretKey key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
