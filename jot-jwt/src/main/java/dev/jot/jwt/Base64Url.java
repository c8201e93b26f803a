package dev.jot.jwt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64url without padding (RFC 7515 §2, RFC 4648 §5): only {@code A-Z a-z 0-9 - _}, no {@code =},
 * no whitespace, and the unused trailing bits must be zero so every byte string has exactly one encoding
 * (RFC 4648 §3.5). Anything else is {@link JwtException.Code#MALFORMED}.
 *
 * <p>The JDK's codec does the bulk work (it is intrinsified); this class adds what it does not check:
 * it would accept padding and ignore non-zero trailing bits.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final byte[] SEXTET = new byte[256];

    static {
        Arrays.fill(SEXTET, (byte) -1);
        byte[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < alphabet.length; i++) {
            SEXTET[alphabet[i]] = (byte) i;
        }
    }

    private Base64Url() {
    }

    public static String encode(byte[] data) {
        return ENCODER.encodeToString(data);
    }

    public static String encode(byte[] data, int offset, int length) {
        byte[] out = new byte[encodedLength(length)];
        encodeTo(data, offset, length, out, 0);
        return new String(out, StandardCharsets.ISO_8859_1);
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
        byte[] whole = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
        byte[] encoded = ENCODER.encode(whole);
        System.arraycopy(encoded, 0, out, outPos, encoded.length);
        return outPos + encoded.length;
    }

    public static byte[] decode(CharSequence s) {
        return decode(s, 0, s.length());
    }

    /** Decodes {@code s[from, to)} strictly; throws {@link JwtException} (MALFORMED) on any deviation. */
    public static byte[] decode(CharSequence s, int from, int to) {
        byte[] ascii = s.subSequence(from, to).toString().getBytes(StandardCharsets.ISO_8859_1);
        return decode(ascii, 0, ascii.length);
    }

    /** Decodes ASCII bytes {@code in[offset, offset+length)} strictly. */
    public static byte[] decode(byte[] in, int offset, int length) {
        int rem = length & 3;
        if (rem == 1) {
            throw JwtException.malformed("invalid base64url length");
        }
        if (length == 0) {
            return new byte[0];
        }
        int last = SEXTET[in[offset + length - 1] & 0xff];
        // '=' is not in the alphabet, so a padded input fails here; the JDK rejects '=' anywhere else.
        if (last < 0) {
            throw JwtException.malformed("invalid base64url character");
        }
        if ((rem == 2 && (last & 0x0f) != 0) || (rem == 3 && (last & 0x03) != 0)) {
            throw JwtException.malformed("non-canonical base64url (trailing bits)");
        }
        try {
            ByteBuffer out = DECODER.decode(ByteBuffer.wrap(in, offset, length));
            byte[] array = out.array();
            return out.arrayOffset() == 0 && out.remaining() == array.length ? array
                    : Arrays.copyOfRange(array, out.arrayOffset() + out.position(),
                            out.arrayOffset() + out.limit());
        } catch (IllegalArgumentException e) {
            throw JwtException.malformed("invalid base64url character");
        }
    }
}
