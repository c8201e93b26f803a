package dev.jot.jwt;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeSet;

/** Writing JWK members: metadata and fixed-length unsigned integers. */
final class JwkMaps {
    private JwkMaps() {
    }

    static void putMeta(Map<String, Object> m, Jwk k) {
        if (k.kid() != null) {
            m.put("kid", k.kid());
        }
        if (k.alg() != null) {
            m.put("alg", k.alg().jwsName());
        }
        if (k.use() != null) {
            m.put("use", k.use());
        }
        if (!k.keyOps().isEmpty()) {
            m.put("key_ops", new TreeSet<>(k.keyOps()).stream().toList());
        }
    }

    /** Unsigned big-endian bytes without leading zeros (RFC 7518 §2 Base64urlUInt). */
    static String uint(BigInteger v) {
        byte[] b = v.toByteArray();
        int start = 0;
        while (start < b.length - 1 && b[start] == 0) {
            start++;
        }
        return Base64Url.encode(b, start, b.length - start);
    }

    /** Unsigned big-endian bytes left-padded to exactly {@code len} (EC coordinates, RFC 7518 §6.2.1.2). */
    static byte[] fixed(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(b.length, len);
        System.arraycopy(b, b.length - copy, out, len - copy, copy);
        return out;
    }
}
