package dev.jot.jwt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, allocation-light JSON parser (RFC 8259) for the small objects JOSE is made of. It is ours rather
 * than a general-purpose library's because it sits on the hot path of every verify and because JOSE wants
 * stricter rules than general JSON: duplicate member names and excessive nesting are errors (RFC 7515 §5.2,
 * RFC 7519 §7.2), input must be well-formed UTF-8 without a byte order mark (RFC 8259 §8.1), and there is no
 * leniency (no comments, no trailing commas, no NaN, no leading zeros, no unescaped control characters).
 *
 * <p>Every error is {@link JwtException.Code#MALFORMED}; the parser never recurses deeper than the limit, so
 * hostile nesting cannot overflow the stack.
 */
final class JsonReader {

    /** Nesting the parser never exceeds, whatever a caller configures: recursion must stay far from the stack's end. */
    static final int HARD_MAX_DEPTH = 256;

    /** Longest number literal accepted: numbers in JOSE are dates and small counts. */
    private static final int MAX_NUMBER_CHARS = 400;

    /**
     * Member names JOSE objects almost always contain, returned as shared constants instead of fresh strings:
     * a verify allocates less, and names then compare by identity first.
     */
    private static final String[][] KNOWN_NAMES_BY_LENGTH = knownNames(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "alg", "kid", "typ", "cty", "crit", "scope", "roles",
            "client_id", "preferred_username", "azp", "sid", "auth_time", "nonce", "kty", "use", "crv", "key_ops",
            "x", "y", "n", "e", "d", "k", "keys", "name", "email");

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * SWAR test (no false negatives): true only if none of the eight bytes is {@code "}, {@code \}, below
     * 0x20 or above 0x7f. A false "no" merely sends the word to the bytewise loop.
     */
    private static boolean isPlainWord(long w) {
        long quote = w ^ (ONES * '"');
        long backslash = w ^ (ONES * '\\');
        long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | (w - ONES * 0x20) | w;
        return (special & HIGHS) == 0;
    }

    private final byte[] in;
    private final int end;
    private final int maxDepth;
    private int pos;

    private JsonReader(byte[] in, int offset, int length, int maxDepth) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.maxDepth = Math.min(maxDepth, HARD_MAX_DEPTH);
    }

    static Map<String, Object> parseObject(byte[] utf8, int offset, int length, int maxDepth) {
        JsonReader r = new JsonReader(utf8, offset, length, maxDepth);
        r.skipWhitespace();
        if (r.pos >= r.end || r.in[r.pos] != '{') {
            throw JwtException.malformed("JSON object expected");
        }
        Map<String, Object> result = r.readObject(1);
        r.skipWhitespace();
        if (r.pos != r.end) {
            throw JwtException.malformed("trailing content after JSON object");
        }
        return result;
    }

    private Map<String, Object> readObject(int depth) {
        if (depth > maxDepth) {
            throw JwtException.malformed("JSON nested deeper than " + maxDepth);
        }
        pos++; // '{'
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw JwtException.malformed("JSON member name expected");
            }
            String name = readName();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = readValue(depth);
            int before = map.size();
            map.put(name, value);
            if (map.size() == before) {
                // RFC 7515 §5.2 / RFC 7519 §7.2: reject rather than pick one of two values.
                throw JwtException.malformed("duplicate member name");
            }
            skipWhitespace();
            int c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                throw JwtException.malformed("',' or '}' expected in JSON object");
            }
        }
    }

    private List<Object> readArray(int depth) {
        if (depth > maxDepth) {
            throw JwtException.malformed("JSON nested deeper than " + maxDepth);
        }
        pos++; // '['
        ArrayList<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(readValue(depth));
            skipWhitespace();
            int c = next();
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw JwtException.malformed("',' or ']' expected in JSON array");
            }
        }
    }

    private Object readValue(int depth) {
        int c = peek();
        return switch (c) {
            case '{' -> readObject(depth + 1);
            case '[' -> readArray(depth + 1);
            case '"' -> readString();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber();
                }
                throw JwtException.malformed("JSON value expected");
            }
        };
    }

    private Object literal(String word, Object value) {
        int n = word.length();
        if (end - pos < n) {
            throw JwtException.malformed("invalid JSON literal");
        }
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw JwtException.malformed("invalid JSON literal");
            }
        }
        pos += n;
        return value;
    }

    private Object readNumber() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        int intStart = pos;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw JwtException.malformed("invalid JSON number");
        }
        int intDigits = pos - intStart;
        if (peek() == '.') {
            integral = false;
            pos++;
            requireDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits();
        }
        int len = pos - start;
        if (len > MAX_NUMBER_CHARS) {
            throw JwtException.malformed("JSON number too long");
        }
        if (integral && intDigits <= 18) {
            long v = 0;
            for (int i = intStart; i < pos; i++) {
                v = v * 10 + (in[i] - '0');
            }
            return in[start] == '-' ? -v : v;
        }
        String text = new String(in, start, len, StandardCharsets.ISO_8859_1);
        if (integral) {
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        // RFC 8259 §6 lets a parser limit the range of numbers. BigDecimal throws NumberFormatException for an
        // exponent beyond an int (found by fuzzing: "1e10000000021530"), and an exponent within one can still make
        // later arithmetic expand 10^999999999 (setScale of "1e-999999999"): both are refused here.
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw JwtException.malformed("JSON number out of range");
        }
        if (Math.abs((long) d.scale()) > MAX_SCALE) {
            throw JwtException.malformed("JSON number out of range");
        }
        return d;
    }

    /** Largest accepted decimal exponent magnitude: far beyond any NumericDate or JWK member. */
    static final int MAX_SCALE = 1000;

    private void requireDigits() {
        if (!isDigit(peek())) {
            throw JwtException.malformed("invalid JSON number");
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static String[][] knownNames(String... names) {
        int max = 0;
        for (String n : names) {
            max = Math.max(max, n.length());
        }
        String[][] byLength = new String[max + 1][];
        for (int len = 0; len <= max; len++) {
            final int l = len;
            byLength[len] = java.util.Arrays.stream(names).filter(n -> n.length() == l).toArray(String[]::new);
        }
        return byLength;
    }

    private String readName() {
        int start = pos + 1;
        int i = start;
        while (i < end && in[i] != '"' && in[i] != '\\' && in[i] >= 0x20) {
            i++;
        }
        int len = i - start;
        if (i < end && in[i] == '"' && len < KNOWN_NAMES_BY_LENGTH.length) {
            for (String known : KNOWN_NAMES_BY_LENGTH[len]) {
                if (matches(known, start)) {
                    pos = i + 1;
                    return known;
                }
            }
        }
        return readString();
    }

    private boolean matches(String known, int at) {
        for (int j = 0; j < known.length(); j++) {
            if (in[at + j] != known.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private String readString() {
        pos++; // opening quote
        int start = pos;
        // Fast path: printable ASCII without escapes, the common case for JOSE. Eight bytes are checked at
        // once; a word that might hold a quote, backslash, control or non-ASCII byte is rescanned bytewise.
        while (end - pos >= 8 && isPlainWord((long) LONGS.get(in, pos))) {
            pos += 8;
        }
        while (pos < end) {
            int b = in[pos];
            if (b == '"') {
                String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (b == '\\' || b < 0x20) { // b < 0 for non-ASCII bytes
                break;
            }
            pos++;
        }
        return readStringSlow(start);
    }

    private String readStringSlow(int start) {
        StringBuilder sb = new StringBuilder(pos - start + 16);
        sb.append(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
        while (true) {
            if (pos >= end) {
                throw JwtException.malformed("unterminated JSON string");
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                return sb.toString();
            }
            if (b == '\\') {
                pos++;
                readEscape(sb);
            } else if (b < 0x20) {
                throw JwtException.malformed("control character in JSON string");
            } else if (b < 0x80) {
                sb.append((char) b);
                pos++;
            } else {
                sb.appendCodePoint(readUtf8(b));
            }
        }
    }

    private void readEscape(StringBuilder sb) {
        int c = next();
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> sb.append(readHex4());
            default -> throw JwtException.malformed("invalid JSON escape");
        }
    }

    private char readHex4() {
        if (end - pos < 4) {
            throw JwtException.malformed("invalid JSON \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = in[pos++];
            int d = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                throw JwtException.malformed("invalid JSON \\u escape");
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    /** Decodes one well-formed UTF-8 sequence (RFC 3629 §4): no overlongs, no surrogates, at most U+10FFFF. */
    private int readUtf8(int b0) {
        int need;
        int cp;
        int min;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            need = 1;
            cp = b0 & 0x1f;
            min = 0x80;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            need = 2;
            cp = b0 & 0x0f;
            min = 0x800;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            need = 3;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            throw JwtException.malformed("invalid UTF-8");
        }
        if (end - pos <= need) {
            throw JwtException.malformed("invalid UTF-8");
        }
        for (int i = 1; i <= need; i++) {
            int b = in[pos + i] & 0xff;
            if ((b & 0xc0) != 0x80) {
                throw JwtException.malformed("invalid UTF-8");
            }
            cp = cp << 6 | (b & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw JwtException.malformed("invalid UTF-8");
        }
        pos += need + 1;
        return cp;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    private int peek() {
        return pos < end ? in[pos] : -1;
    }

    private int next() {
        if (pos >= end) {
            throw JwtException.malformed("truncated JSON");
        }
        return in[pos++];
    }

    private void expect(char c) {
        if (next() != c) {
            throw JwtException.malformed("'" + c + "' expected in JSON");
        }
    }
}
