package dev.jot.jwt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The structure of a compact JWS, split and base64url-decoded but not verified: used by the verifier after
 * its size check, and by {@link Unverified}. Exactly three parts, header and signature non-empty.
 */
record CompactJws(byte[] ascii, int firstDot, int secondDot, byte[] payload, byte[] signature) {

    /** Registered header names that {@code crit} may not list (RFC 7515 §4.1.11). */
    private static final List<String> REGISTERED = List.of(
            "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit");

    static CompactJws split(String token) {
        // Characters above U+00FF become '?', which base64url rejects.
        return split(token.getBytes(StandardCharsets.ISO_8859_1));
    }

    static CompactJws split(byte[] ascii) {
        int first = indexOfDot(ascii, 0);
        int second = first < 0 ? -1 : indexOfDot(ascii, first + 1);
        if (first < 0 || second < 0 || indexOfDot(ascii, second + 1) >= 0) {
            throw JwtException.malformed("a JWS has three base64url parts separated by dots");
        }
        if (first == 0) {
            throw JwtException.malformed("empty JWS header");
        }
        if (second == ascii.length - 1) {
            throw JwtException.malformed("empty JWS signature");
        }
        byte[] payload = Base64Url.decode(ascii, first + 1, second - first - 1);
        byte[] signature = Base64Url.decode(ascii, second + 1, ascii.length - second - 1);
        return new CompactJws(ascii, first, second, payload, signature);
    }

    private static int indexOfDot(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '.') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The decoded header, strictly. Decoded on demand: the verifier remembers the last header segment it
     * resolved, and an identical segment needs neither decoding nor parsing again.
     */
    byte[] headerBytes() {
        return Base64Url.decode(ascii, 0, firstDot);
    }

    /** Parses header JSON and checks the types of the parameters Jot reads. {@code alg} stays a string. */
    static ParsedHeader parseHeader(byte[] json, int maxDepth) {
        Map<String, Object> m = Json.parseObject(json, maxDepth);
        Object alg = m.get("alg");
        if (!(alg instanceof String algName)) {
            throw JwtException.malformed("header 'alg' must be a string");
        }
        String kid = optionalString(m, "kid");
        if (kid != null && (kid.isEmpty() || kid.length() > JwkRules.MAX_KID_LENGTH)) {
            throw JwtException.malformed("header 'kid' must be 1.." + JwkRules.MAX_KID_LENGTH + " characters");
        }
        String typ = optionalString(m, "typ");
        String cty = optionalString(m, "cty");
        List<String> crit = null;
        if (m.containsKey("crit")) {
            if (!(m.get("crit") instanceof List<?> list) || list.isEmpty()) {
                throw JwtException.malformed("header 'crit' must be a non-empty array");
            }
            for (Object o : list) {
                if (!(o instanceof String s) || REGISTERED.contains(s) || !m.containsKey(s)) {
                    throw JwtException.malformed("header 'crit' lists an invalid name");
                }
            }
            crit = list.stream().map(String.class::cast).toList();
        }
        return new ParsedHeader(algName, kid, typ, cty, crit, m);
    }

    private static String optionalString(Map<String, Object> m, String name) {
        Object v = m.get(name);
        if (v == null && !m.containsKey(name)) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw JwtException.malformed("header '" + name + "' must be a string");
        }
        return s;
    }

    record ParsedHeader(String alg, String kid, String typ, String cty, List<String> crit, Map<String, Object> members) {
        Header toHeader(Algorithm algorithm) {
            return new Header(algorithm, kid, typ, cty, crit, members);
        }
    }
}
