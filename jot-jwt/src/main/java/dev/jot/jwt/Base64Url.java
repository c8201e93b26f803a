package dev.jot.jwt;

import java.util.Arrays;

/**
 * Strict base64url without padding (RFC 7515 §2, RFC 4648 §5): only {@code A-Z a-z 0-9 - _}, no {@code =},
 * no whitespace, and the unused trailing bits must be zero so every byte string has exactly one encoding
 * (RFC 4648 §3.5). Anything else is {@link JwtException.Code#MALFORMED}.
 */
public final class Base64Url {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
        }
    }

    private Base64Url() {
    }

    public static String encode(byte[] data) {
        return encode(data, 0, data.length);
    }

    public static String encode(byte[] data, int offset, int length) {
        byte[] out = new byte[encodedLength(length)];
        encodeTo(data, offset, length, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Number of characters the unpadded encoding of {@code length} bytes takes. */
    public static int encodedLength(int length) {
        return (length / 3) * 4 + switch (length % 3) {
            case 1 -> 2;
            case 2 -> 3;
            default -> 0;
        };
    }

    /** Encodes into {@code out} as ASCII bytes; returns the index after the last byte written. */
    public static int encodeTo(byte[] data, int offset, int length, byte[] out, int outPos) {
        int end = offset + length;
        int i = offset;
        int o = outPos;
        while (end - i >= 3) {
            int v = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff);
            out[o++] = (byte) ALPHABET[v >>> 18];
            out[o++] = (byte) ALPHABET[(v >>> 12) & 63];
            out[o++] = (byte) ALPHABET[(v >>> 6) & 63];
            out[o++] = (byte) ALPHABET[v & 63];
            i += 3;
        }
        int rest = end - i;
        if (rest == 1) {
            int v = (data[i] & 0xff) << 16;
            out[o++] = (byte) ALPHABET[v >>> 18];
            out[o++] = (byte) ALPHABET[(v >>> 12) & 63];
        } else if (rest == 2) {
            int v = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8;
            out[o++] = (byte) ALPHABET[v >>> 18];
            out[o++] = (byte) ALPHABET[(v >>> 12) & 63];
            out[o++] = (byte) ALPHABET[(v >>> 6) & 63];
        }
        return o;
    }

    public static byte[] decode(CharSequence s) {
        return decode(s, 0, s.length());
    }

    /** Decodes {@code s[from, to)} strictly; throws {@link JwtException} (MALFORMED) on any deviation. */
    public static byte[] decode(CharSequence s, int from, int to) {
        int len = to - from;
        int rem = len & 3;
        if (rem == 1) {
            throw JwtException.malformed("invalid base64url length");
        }
        byte[] out = new byte[(len / 4) * 3 + (rem == 0 ? 0 : rem - 1)];
        int o = 0;
        int i = from;
        int fullEnd = to - rem;
        while (i < fullEnd) {
            int v = sextet(s.charAt(i)) << 18 | sextet(s.charAt(i + 1)) << 12
                    | sextet(s.charAt(i + 2)) << 6 | sextet(s.charAt(i + 3));
            out[o++] = (byte) (v >>> 16);
            out[o++] = (byte) (v >>> 8);
            out[o++] = (byte) v;
            i += 4;
        }
        if (rem == 2) {
            int a = sextet(s.charAt(i));
            int b = sextet(s.charAt(i + 1));
            if ((b & 0x0f) != 0) {
                throw JwtException.malformed("non-canonical base64url (trailing bits)");
            }
            out[o] = (byte) (a << 2 | b >>> 4);
        } else if (rem == 3) {
            int a = sextet(s.charAt(i));
            int b = sextet(s.charAt(i + 1));
            int c = sextet(s.charAt(i + 2));
            if ((c & 0x03) != 0) {
                throw JwtException.malformed("non-canonical base64url (trailing bits)");
            }
            out[o++] = (byte) (a << 2 | b >>> 4);
            out[o] = (byte) (b << 4 | c >>> 2);
        }
        return out;
    }

    private static int sextet(char c) {
        int v = c < 128 ? DECODE[c] : -1;
        if (v < 0) {
            throw JwtException.malformed("invalid base64url character");
        }
        return v;
    }
}
