package dev.jot.server.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * API keys and client secrets, in GitHub's token format: a prefix, random characters, and a checksum, so that a
 * secret scanner can tell a real secret from a look-alike without asking the server, and so that a mistyped secret
 * is refused before any lookup.
 *
 * <pre>
 * jot_ + 32 random base62 characters (190 bits) + 6 base62 characters of the CRC32 of those 32
 * e.g. jot_7bJcTq0fWm1Zk4XyLrA9sPdE2vHnG8uC0qLZV4 (an example, never issued)
 * scanner regex: \bjot_[0-9A-Za-z]{38}\b
 * </pre>
 *
 * Base62 digits are {@code 0-9A-Za-z} in that order; the checksum is the CRC32 (ISO-HDLC, {@link CRC32}) of the
 * 32 random characters as ASCII, written most significant digit first and left-padded with {@code 0} to 6 digits.
 * Only the SHA-256 of a secret is stored: 190 random bits need no salt and no slow hash (OWASP ASVS 5.0 V6.5.2), so
 * checking one costs a hash and an indexed read.
 */
final class Secrets {
    static final String PREFIX = "jot_";
    static final int RANDOM_CHARS = 32;
    static final int CHECKSUM_CHARS = 6;
    static final int LENGTH = PREFIX.length() + RANDOM_CHARS + CHECKSUM_CHARS;
    /** What a secret scanner looks for (documented in the README). */
    static final Pattern SCANNER = Pattern.compile("\\bjot_[0-9A-Za-z]{38}\\b");
    /** Characters of a secret shown in lists, to recognise it by. */
    static final int START = 8;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** A new secret: each random character drawn uniformly from the 62 (rejection sampling, no modulo bias). */
    static String generate() {
        StringBuilder s = new StringBuilder(LENGTH).append(PREFIX);
        byte[] b = new byte[1];
        while (s.length() < PREFIX.length() + RANDOM_CHARS) {
            RANDOM.nextBytes(b);
            int v = b[0] & 0xff;
            if (v < 248) { // 248 = 4 × 62: the values above would favour the first eight characters
                s.append(BASE62.charAt(v % 62));
            }
        }
        return s.append(checksum(s.substring(PREFIX.length()))).toString();
    }

    /** Whether {@code s} has the form of a secret and its checksum matches: cheap, and no lookup needed if not. */
    static boolean wellFormed(String s) {
        if (s == null || s.length() != LENGTH || !s.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (BASE62.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        String random = s.substring(PREFIX.length(), PREFIX.length() + RANDOM_CHARS);
        return checksum(random).equals(s.substring(PREFIX.length() + RANDOM_CHARS));
    }

    /** The stored form: base64url of SHA-256 (43 characters). */
    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return B64.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** What lists show: the first {@link #START} characters. */
    static String start(String secret) {
        return secret.substring(0, START);
    }

    static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] out = new char[CHECKSUM_CHARS];
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }
}
